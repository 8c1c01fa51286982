using Microsoft.Win32.SafeHandles;

namespace Cellar.Cells.Bolt;

/// <summary>A file read with pread through a handle that holds no lock.</summary>
internal sealed class FileBoltBytes(SafeFileHandle handle) : IBoltBytes
{
    public long Length { get; } = RandomAccess.GetLength(handle);

    public int Read(Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
