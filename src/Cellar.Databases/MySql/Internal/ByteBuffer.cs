using System.Buffers;

namespace Cellar.Databases.MySql.Internal;

/// <summary>A growable byte buffer over pooled arrays, for building statements without strings.</summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _array;

    public ByteBuffer(int initialCapacity = 1 << 16)
    {
        _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public Span<byte> GetSpan(int size)
    {
        Ensure(size);
        return _array.AsSpan(Length);
    }

    public void Advance(int count) => Length = checked(Length + count);

    public void Append(byte value)
    {
        Ensure(1);
        _array[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Append(string ascii)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(ascii);
        Ensure(count);
        Length += System.Text.Encoding.UTF8.GetBytes(ascii, _array.AsSpan(Length));
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }

    private void Ensure(int extra)
    {
        var needed = checked(Length + extra);
        if (needed <= _array.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(_array.Length * 2)));
        _array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
