using System.Text;
using BenchmarkDotNet.Attributes;
using Cellar.Repository.Crypto;

namespace Cellar.Bench;

/// <summary>
/// One scrypt key derivation with restic's key-file parameters (N = 2^15, r = 8, p = 1 or 2), the cost
/// every command pays to open a repository, against the scalar lane alone (the former code path).
/// Run: dotnet run -c Release --project bench/Cellar.Bench -- --filter '*Scrypt*' --job short
/// </summary>
[MemoryDiagnoser]
public class ScryptBenchmark
{
    private readonly byte[] _password = Encoding.UTF8.GetBytes("correct horse battery staple");
    private readonly byte[] _salt = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    /// <summary>restic writes p = 1 or 2 into its key files (it calibrates the cost on the machine).</summary>
    [Params(1, 2)]
    public int P { get; set; }

    [Benchmark(Baseline = true)]
    public byte[] ScalarBaseline() => Scrypt.DeriveKey(_password, _salt, 1 << 15, 8, P, 64, allowVector: false);

    [Benchmark]
    public byte[] DeriveResticKey() => Scrypt.DeriveKey(_password, _salt, 1 << 15, 8, P, 64);
}
