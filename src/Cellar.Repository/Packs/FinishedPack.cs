using Cellar.Repository.Index;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Packs;

/// <summary>
/// A complete pack in its temporary file (see <see cref="PackTempFile"/>), with its id and the blobs
/// it holds. Disposing closes the file, which frees its space.
/// </summary>
internal sealed class FinishedPack(Id id, SafeFileHandle file, long length, PackedBlob[] blobs) : IDisposable
{
    public Id Id { get; } = id;

    public long Length { get; } = length;

    public IReadOnlyList<PackedBlob> Blobs { get; } = blobs;

    /// <summary>The pack's bytes are its first <see cref="Length"/> bytes.</summary>
    public SafeFileHandle File => file.IsClosed ? throw new ObjectDisposedException(nameof(FinishedPack)) : file;

    public void Dispose() => file.Dispose();
}
