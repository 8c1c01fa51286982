using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cellar.Repository.Chunking;

/// <summary>
/// Finds content-defined cut points with a Rabin fingerprint over a 64-byte window, with the same
/// cut points as restic's chunker: no cut before <see cref="MinSize"/> bytes (the first
/// MinSize-64 bytes of a chunk are not even hashed), a cut wherever the low 20 bits of the
/// fingerprint are zero (1 MiB average), a forced cut at <see cref="MaxSize"/>.
/// Feed bytes in any slicing; the cut points do not depend on it.
/// </summary>
internal sealed class SplitPointFinder
{
    public const int MinSize = 512 * 1024;
    public const int MaxSize = 8 * 1024 * 1024;
    private const ulong SplitMask = (1UL << 20) - 1;
    private const int WindowSize = RabinTables.WindowSize;

    private readonly RabinTables _tables;
    private readonly byte[] _window = new byte[WindowSize];
    private ulong _digest;
    private int _windowPosition;
    private int _skip;
    private int _count;

    public SplitPointFinder(Polynomial polynomial)
    {
        _tables = RabinTables.For(polynomial);
        Reset();
    }

    /// <summary>The fingerprint at the last cut (for tests against the reference vectors).</summary>
    public ulong LastCutFingerprint { get; private set; }

    /// <summary>The fingerprint now (restic reports it as the "cut" of a file's last chunk).</summary>
    public ulong CurrentFingerprint => _digest;

    /// <summary>Bytes consumed since the last cut.</summary>
    public int PendingLength => _count;

    /// <summary>Starts a new chunk (after a cut, or for a new file).</summary>
    public void Reset()
    {
        Array.Clear(_window);
        _digest = 0;
        _windowPosition = 0;
        _count = 0;
        _skip = MinSize - WindowSize;

        // restic starts each chunk's fingerprint by sliding in a single 1 byte.
        var outByte = _window[0];
        _window[0] = 1;
        _digest ^= _tables.Out[outByte];
        _windowPosition = 1;
        _digest = Append(_digest, 1);
    }

    /// <summary>
    /// Consumes bytes up to and including the next cut point and returns how many it consumed
    /// when a chunk ends there (the finder is then reset for the next chunk), or -1 when the whole
    /// span was consumed without a cut.
    /// </summary>
    public int Next(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        if (_skip > 0)
        {
            if (_skip >= data.Length)
            {
                _skip -= data.Length;
                _count += data.Length;
                return -1;
            }

            offset = _skip;
            _count += _skip;
            _skip = 0;
        }

        var cut = Scan(data, offset);
        if (cut < 0)
        {
            return -1;
        }

        Reset();
        return cut;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int Scan(ReadOnlySpan<byte> data, int offset)
    {
        var digest = _digest;
        var position = _windowPosition;
        var count = _count;
        var shift = _tables.Shift;
        var maxSize = MaxSize;
        var length = data.Length;

        fixed (byte* input = &MemoryMarshal.GetReference(data))
        fixed (byte* window = _window)
        fixed (ulong* outTable = _tables.Out)
        fixed (ulong* modTable = _tables.Mod)
        {
            for (var i = offset; i < length; i++)
            {
                var b = input[i];
                var leaving = window[position];
                window[position] = b;
                position = (position + 1) & (WindowSize - 1);
                digest ^= outTable[leaving];
                var index = digest >> shift;
                digest = ((digest << 8) | b) ^ modTable[index];
                count++;

                if ((digest & SplitMask) == 0 || count >= maxSize)
                {
                    if (count < MinSize)
                    {
                        continue;
                    }

                    LastCutFingerprint = digest;
                    return i + 1;
                }
            }
        }

        _digest = digest;
        _windowPosition = position;
        _count = count;
        return -1;
    }

    private ulong Append(ulong digest, byte b)
    {
        var index = digest >> _tables.Shift;
        return ((digest << 8) | b) ^ _tables.Mod[index];
    }
}
