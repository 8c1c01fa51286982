using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cellar.Repository.Crypto;

namespace Cellar.Bench;

/// <summary>
/// Throughput of the repository crypto on 1 MiB buffers (a typical blob): AES-256-CTR alone,
/// Poly1305 alone, and the full Seal/Open. Run: dotnet run -c Release --project bench/Cellar.Bench -- --filter '*CryptoBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private byte[] _data = [];
    private byte[] _output = [];
    private byte[] _sealed = [];
    private byte[] _polyKey = [];
    private byte[] _iv = [];
    private Aes _aes = null!;
    private MasterKey _key = null!;

    [Params(1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = RandomNumberGenerator.GetBytes(Size);
        _output = new byte[Size + MasterKey.Overhead];
        _polyKey = RandomNumberGenerator.GetBytes(32);
        _iv = RandomNumberGenerator.GetBytes(16);
        _aes = Aes.Create();
        _aes.Key = RandomNumberGenerator.GetBytes(32);
        _key = MasterKey.CreateRandom();
        _sealed = _key.Seal(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes.Dispose();
        _key.Dispose();
    }

    /// <summary>The platform's own authenticated encryption (AES-GCM, hardware AES and CLMUL) as the yardstick.</summary>
    [Benchmark(Baseline = true)]
    public void AesGcmReference()
    {
        using var gcm = new AesGcm(_key.EncryptionKey, 16);
        gcm.Encrypt(_iv.AsSpan(0, 12), _data, _output.AsSpan(0, Size), _output.AsSpan(Size, 16));
    }

    [Benchmark]
    public void AesCtr() => Repository.Crypto.AesCtr.Transform(_aes, _iv, _data, _output);

    [Benchmark]
    public void Poly1305Tag() => Repository.Crypto.Poly1305.ComputeTag(_polyKey, _data, _output);

    [Benchmark]
    public int Seal() => _key.Seal(_data, _output);

    [Benchmark]
    public bool Open() => _key.TryOpen(_sealed, _output);
}
