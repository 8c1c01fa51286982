using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Cellar.Repository.Chunking;

/// <summary>
/// A polynomial over GF(2), stored as its coefficient bits (bit i = coefficient of x^i). The
/// repository's chunker polynomial is an irreducible one of degree 53, kept in the config file
/// as lower-case hex without prefix.
/// </summary>
internal readonly record struct Polynomial(ulong Value)
{
    /// <summary>The degree the repository's chunker polynomial must have.</summary>
    public const int ChunkerDegree = 53;

    /// <summary>The degree, or -1 for the zero polynomial.</summary>
    public int Degree => 63 - BitOperations.LeadingZeroCount(Value);

    /// <summary>Parses the config file form (hex digits, optionally with a 0x prefix).</summary>
    public static Polynomial Parse(string hex)
    {
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (!ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{hex}' is not a chunker polynomial (hex digits expected).");
        }

        return new Polynomial(value);
    }

    /// <summary>The config file form: lower-case hex, no prefix, no leading zeros.</summary>
    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The remainder of this polynomial divided by <paramref name="divisor"/>.</summary>
    public Polynomial Mod(Polynomial divisor) => new(Mod(Value, divisor.Value));

    /// <summary>True when the polynomial has no non-trivial factor over GF(2) (Ben-Or's test).</summary>
    public bool IsIrreducible()
    {
        var degree = Degree;
        if (degree < 1)
        {
            return false;
        }

        // x^(2^i) mod f, computed by repeated squaring; f is irreducible iff gcd(x^(2^i) - x, f) = 1
        // for every i up to deg/2.
        ulong power = 2; // x
        for (var i = 1; i <= degree / 2; i++)
        {
            power = MulMod(power, power, Value);
            if (Gcd(power ^ 2, Value) != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A fresh random irreducible polynomial of degree 53, as <c>restic init</c> chooses one:
    /// random low bits, bit 53 and bit 0 set, retried until irreducible.
    /// </summary>
    public static Polynomial Random()
    {
        Span<byte> bytes = stackalloc byte[8];
        for (var attempt = 0; attempt < 1_000_000; attempt++)
        {
            RandomNumberGenerator.Fill(bytes);
            var candidate = BitConverter.ToUInt64(bytes) & ((1UL << 54) - 1);
            candidate |= (1UL << ChunkerDegree) | 1;
            var polynomial = new Polynomial(candidate);
            if (polynomial.IsIrreducible())
            {
                return polynomial;
            }
        }

        throw new InvalidOperationException("No irreducible polynomial found in a million random tries; the system random source is broken.");
    }

    internal static int DegreeOf(ulong value) => 63 - BitOperations.LeadingZeroCount(value);

    internal static ulong Mod(ulong value, ulong divisor)
    {
        if (divisor == 0)
        {
            throw new DivideByZeroException();
        }

        var divisorDegree = DegreeOf(divisor);
        var shift = DegreeOf(value) - divisorDegree;
        while (value != 0 && shift >= 0)
        {
            value ^= divisor << shift;
            shift = DegreeOf(value) - divisorDegree;
        }

        return value;
    }

    /// <summary>(a * b) mod m without overflowing 64 bits; requires deg(m) &lt; 63.</summary>
    internal static ulong MulMod(ulong a, ulong b, ulong m)
    {
        a = Mod(a, m);
        var degree = DegreeOf(m);
        ulong result = 0;
        while (b != 0)
        {
            if ((b & 1) != 0)
            {
                result ^= a;
            }

            b >>= 1;
            a <<= 1;
            if (((a >> degree) & 1) != 0)
            {
                a ^= m;
            }
        }

        return result;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, Mod(a, b));
        }

        return a;
    }
}
