using System.Collections.Concurrent;

namespace Cellar.Repository.Chunking;

/// <summary>
/// The two lookup tables that make the rolling Rabin fingerprint one shift, two lookups and two
/// XORs per byte. Derived from the polynomial exactly as restic's chunker derives them; cached per
/// polynomial (a repository has one).
/// </summary>
internal sealed class RabinTables
{
    internal const int WindowSize = 64;

    private static readonly ConcurrentDictionary<ulong, RabinTables> Cache = new();

    private RabinTables(Polynomial polynomial)
    {
        var pol = polynomial.Value;
        var degree = polynomial.Degree;
        if (degree is < 9 or > Polynomial.ChunkerDegree)
        {
            throw new ArgumentOutOfRangeException(nameof(polynomial), $"A chunker polynomial must have a degree between 9 and 53, not {degree}.");
        }

        Shift = degree - 8;
        Out = new ulong[256];
        Mod = new ulong[256];

        // Out[b] is the fingerprint of b followed by WindowSize-1 zero bytes: XOR-ing it removes b
        // when it leaves the window.
        for (var b = 0; b < 256; b++)
        {
            ulong hash = Polynomial.Mod((ulong)b, pol);
            for (var i = 0; i < WindowSize - 1; i++)
            {
                hash = Polynomial.Mod(hash << 8, pol);
            }

            Out[b] = hash;
        }

        // Mod[b] both clears the 8 bits that spill above the degree and adds their remainder.
        for (var b = 0; b < 256; b++)
        {
            var high = (ulong)b << degree;
            Mod[b] = Polynomial.Mod(high, pol) | high;
        }
    }

    public int Shift { get; }

    public ulong[] Out { get; }

    public ulong[] Mod { get; }

    public static RabinTables For(Polynomial polynomial) => Cache.GetOrAdd(polynomial.Value, static v => new RabinTables(new Polynomial(v)));
}
