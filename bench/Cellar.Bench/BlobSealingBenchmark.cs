using BenchmarkDotNet.Attributes;
using Cellar.Repository;
using Cellar.Repository.Crypto;
using Cellar.Repository.Packs;

namespace Cellar.Bench;

/// <summary>The per-blob costs of a backup on a 1 MiB half-compressible chunk: hash, zstd, seal.</summary>
[MemoryDiagnoser]
public class BlobSealingBenchmark
{
    private readonly byte[] _chunk = new byte[1024 * 1024];
    private readonly byte[] _output = new byte[2 * 1024 * 1024];
    private MasterKey _key = MasterKey.CreateRandom();
    private BlobCompressor _compressor = new(BlobCompression.Auto);
    private BlobSealer _sealer = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_chunk.AsSpan(0, _chunk.Length / 2));
        for (var i = _chunk.Length / 2; i < _chunk.Length; i++)
        {
            _chunk[i] = (byte)"filler text "[i % 12];
        }

        _key = MasterKey.CreateRandom();
        _compressor = new BlobCompressor(BlobCompression.Auto);
        _sealer = new BlobSealer(_key, _compressor, compress: true);
    }

    [Benchmark]
    public Id Sha256() => Id.Hash(_chunk);

    [Benchmark]
    public int Zstd()
    {
        var lease = _compressor.Rent(_chunk.Length);
        try
        {
            return lease.Compress(_chunk);
        }
        finally
        {
            _compressor.Return(lease);
        }
    }

    [Benchmark]
    public int Encrypt() => _key.Seal(_chunk, _output);

    [Benchmark]
    public int SealCompressed()
    {
        using var sealedBlob = _sealer.Seal(new BlobHandle(default, BlobType.Data), _chunk);
        return sealedBlob.Length;
    }
}
