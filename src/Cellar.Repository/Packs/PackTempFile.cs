using Cellar.Repository.Platform;
using Microsoft.Win32.SafeHandles;

namespace Cellar.Repository.Packs;

/// <summary>
/// The temporary file a pack is assembled in, as restic does: in the system's temporary folder
/// (<c>TMPDIR</c> on Unix), nameless (O_TMPFILE) where the file system allows it, else named and
/// unlinked at once, so its space is freed when the handle is closed, whether the pack was
/// uploaded, failed or the process died. The pack's bytes then live in the page cache, not in the
/// process's memory.
/// </summary>
internal static class PackTempFile
{
    /// <param name="directory">Where to create it; null for the system's temporary folder.</param>
    public static SafeFileHandle Create(string? directory = null)
    {
        var folder = directory ?? Path.GetTempPath();
        var unnamed = Posix.TryOpenUnnamedFile(folder);
        if (unnamed is not null)
        {
            return unnamed;
        }

        var path = Path.Combine(folder, "cellar-pack-" + Guid.NewGuid().ToString("N") + ".tmp");
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"could not create a temporary file for a pack in {folder} ({ex.Message}); set TMPDIR to a writable folder with room for a few 17 MiB files.", ex);
        }

        if (!OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(path);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        return file;
    }
}
