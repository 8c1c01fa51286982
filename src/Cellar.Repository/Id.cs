using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Cellar.Repository;

/// <summary>
/// A 32-byte SHA-256 identifier of a blob or a repository file, shown as 64 lowercase hex digits.
/// Stored as four machine words so equality and hashing are cheap.
/// </summary>
public readonly struct Id : IEquatable<Id>, IComparable<Id>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public Id(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an id is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>The all-zero id (restic's "null" id).</summary>
    public static Id Zero => default;

    public bool IsZero => (_a | _b | _c | _d) == 0;

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static Id Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return new Id(digest);
    }

    public static Id Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not an id (64 hex digits).");

    public static bool TryParse([NotNullWhen(true)] string? hex, out Id id)
    {
        id = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new Id(bytes);
        return true;
    }

    /// <summary>Parses 64 hex digits given as UTF-8 bytes (as a JSON reader holds them), without making a string.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out Id id)
    {
        id = default;
        if (utf8Hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(utf8Hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new Id(bytes);
        return true;
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The first 8 hex digits, as restic shows ids in lists.</summary>
    public string ToShortString() => _a.ToString("x16")[..8];

    public override string ToString() => $"{_a:x16}{_b:x16}{_c:x16}{_d:x16}";

    /// <summary>Whether the hex form of this id starts with <paramref name="prefix"/> (case-insensitive).</summary>
    public bool HasPrefix(string prefix) => ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    public bool Equals(Id other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Id other && Equals(other);

    public override int GetHashCode() => unchecked((int)_a ^ (int)(_a >> 32));

    public int CompareTo(Id other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        if (c != 0) return c;
        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(Id left, Id right) => left.Equals(right);

    public static bool operator !=(Id left, Id right) => !left.Equals(right);
}
