using BenchmarkDotNet.Attributes;
using Cellar.Repository.Chunking;

namespace Cellar.Bench;

/// <summary>Throughput of the Rabin chunker over 64 MiB of random data (restic's chunker does ~1 GB/s).</summary>
[MemoryDiagnoser]
public class ChunkerBenchmark
{
    private byte[] _data = [];
    private readonly Polynomial _polynomial = new(0x3DA3358B4DC173);

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[64 * 1024 * 1024];
        new Random(23).NextBytes(_data);
    }

    [Benchmark]
    public int SplitPoints()
    {
        var finder = new SplitPointFinder(_polynomial);
        var position = 0;
        var chunks = 0;
        while (position < _data.Length)
        {
            var consumed = finder.Next(_data.AsSpan(position));
            if (consumed < 0)
            {
                break;
            }

            position += consumed;
            chunks++;
        }

        return chunks;
    }

    [Benchmark]
    public async Task<int> StreamChunks()
    {
        using var stream = new MemoryStream(_data, writable: false);
        using var chunker = new StreamChunker(_polynomial, stream, _data.Length);
        var chunks = 0;
        while (await chunker.NextAsync(CancellationToken.None) is { } chunk)
        {
            chunk.Dispose();
            chunks++;
        }

        return chunks;
    }
}
