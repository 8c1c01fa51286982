using System.Text;

namespace Cellar.Repository.Platform;

/// <summary>
/// A file name or path as the kernel sees it: raw bytes, which on Linux need not be UTF-8 (a .NET
/// string cannot hold every name). Converts to text as UTF-8 when valid; otherwise displays the
/// invalid bytes as <c>\xNN</c> escapes (display only; never converted back).
/// </summary>
public readonly struct RawPath : IEquatable<RawPath>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[]? _bytes;

    public RawPath(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
    }

    public RawPath(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes.ToArray();
    }

    /// <summary>The empty path.</summary>
    public static RawPath Empty { get; } = new(Array.Empty<byte>());

    public ReadOnlySpan<byte> Span => _bytes;

    public ReadOnlyMemory<byte> Memory => _bytes;

    public int Length => _bytes?.Length ?? 0;

    public bool IsEmpty => Length == 0;

    public bool IsAbsolute => Length > 0 && _bytes![0] == (byte)'/';

    /// <summary>True when the bytes are valid UTF-8 (and so round-trip through a string).</summary>
    public bool IsValidUtf8 => System.Text.Unicode.Utf8.IsValid(Span);

    /// <summary>The raw bytes themselves, not a copy (for names read fresh from a directory, kept without copying again).</summary>
    internal byte[] Bytes => _bytes ?? [];

    /// <summary>The raw bytes (a copy).</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>A path from text, encoded as UTF-8.</summary>
    public static RawPath FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new RawPath(Encoding.UTF8.GetBytes(text));
    }

    public static implicit operator RawPath(string text) => FromString(text);

    /// <summary>The text when the bytes are valid UTF-8.</summary>
    public bool TryGetString(out string text)
    {
        try
        {
            text = StrictUtf8.GetString(Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>
    /// True when this is a single safe path component: not empty, not "." or "..", and without '/'
    /// or NUL. A restore only ever creates entries with such names.
    /// </summary>
    public bool IsSafeName
    {
        get
        {
            var span = Span;
            if (span.IsEmpty || span.SequenceEqual("."u8) || span.SequenceEqual(".."u8))
            {
                return false;
            }

            return span.IndexOfAny((byte)'/', (byte)0) < 0;
        }
    }

    /// <summary>This path joined with a name (or relative path) by one '/'.</summary>
    public RawPath Combine(RawPath name)
    {
        if (IsEmpty)
        {
            return name;
        }

        if (name.IsEmpty)
        {
            return this;
        }

        var left = Span;
        var needsSlash = left[^1] != (byte)'/';
        var result = new byte[left.Length + (needsSlash ? 1 : 0) + name.Length];
        left.CopyTo(result);
        if (needsSlash)
        {
            result[left.Length] = (byte)'/';
        }

        name.Span.CopyTo(result.AsSpan(result.Length - name.Length));
        return new RawPath(result);
    }

    /// <summary>The last component (the whole path when it has no '/').</summary>
    public RawPath FileName
    {
        get
        {
            var span = Span.TrimEnd((byte)'/');
            var slash = span.LastIndexOf((byte)'/');
            return new RawPath(slash < 0 ? span : span[(slash + 1)..]);
        }
    }

    /// <summary>The components between '/' separators (empty ones dropped).</summary>
    public IReadOnlyList<RawPath> Split()
    {
        var parts = new List<RawPath>();
        var span = Span;
        while (!span.IsEmpty)
        {
            var slash = span.IndexOf((byte)'/');
            var part = slash < 0 ? span : span[..slash];
            if (!part.IsEmpty)
            {
                parts.Add(new RawPath(part));
            }

            span = slash < 0 ? [] : span[(slash + 1)..];
        }

        return parts;
    }

    /// <summary>The bytes followed by a NUL, for passing to the C library.</summary>
    internal byte[] ToNulTerminated()
    {
        var span = Span;
        if (span.IndexOf((byte)0) >= 0)
        {
            throw new ArgumentException($"the path {this} contains a NUL byte, which no file name can hold.");
        }

        var result = new byte[span.Length + 1];
        span.CopyTo(result);
        return result;
    }

    /// <summary>Text for people: UTF-8 where valid, <c>\xNN</c> for each invalid byte.</summary>
    public override string ToString()
    {
        if (TryGetString(out var text))
        {
            return text;
        }

        var builder = new StringBuilder(Length + 16);
        var span = Span;
        while (!span.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                builder.Append(rune.ToString());
            }
            else
            {
                for (var i = 0; i < consumed; i++)
                {
                    builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{span[i]:x2}");
                }
            }

            span = span[consumed..];
        }

        return builder.ToString();
    }

    public bool Equals(RawPath other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is RawPath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(RawPath left, RawPath right) => left.Equals(right);

    public static bool operator !=(RawPath left, RawPath right) => !left.Equals(right);
}
