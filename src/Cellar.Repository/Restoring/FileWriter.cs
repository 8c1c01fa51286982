using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// Puts decoded content into the restored files: each blob at its offsets (holes left for zeros
/// when sparse), each file's owner, mode and times once its last blob is written, then hard links
/// and folder metadata as their batches finish. Files and folders are reached through a bounded
/// cache of descriptors, reopened relative to their parent folder and never through a symlink.
/// </summary>
internal sealed class FileWriter : IDisposable
{
    private readonly FileDescriptor _root;
    private readonly RestoreOptions _options;
    private readonly RestoreTally _tally;
    private readonly DescriptorCache<PlannedDirectory> _directories;
    private readonly DescriptorCache<PlannedFile> _files;

    public FileWriter(FileDescriptor root, RestoreOptions options, RestoreTally tally)
    {
        _root = root;
        _options = options;
        _tally = tally;
        _directories = new DescriptorCache<PlannedDirectory>(64, OpenDirectory);
        _files = new DescriptorCache<PlannedFile>(128, OpenFile);
    }

    /// <summary>Creates a regular file at its final size (the rest of it stays a hole until written); replaces what is in the way.</summary>
    public static FileDescriptor CreateFile(FileDescriptor directory, PlannedFile file)
    {
        RemoveExisting(directory, file.Name);
        var fd = Posix.OpenAt(directory, file.Name, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, FileModes.PrivateFile);
        try
        {
            if (file.Size > 0)
            {
                Posix.Truncate(fd, file.Size);
            }

            file.Inode = Posix.Stat(fd).Inode;
            file.Created = true;
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Removes what is in the way of a new entry (as restic overwrites); a folder in the way is an error.</summary>
    public static void RemoveExisting(FileDescriptor directory, RawPath name)
    {
        try
        {
            Posix.UnlinkAt(directory, name);
        }
        catch (PosixException ex) when (ex.IsNotFound)
        {
        }
        catch (PosixException ex) when (ex.Errno is Errno.EISDIR or Errno.EPERM)
        {
            throw new PosixException("unlinkat (a folder is in the way)", ex.Errno, name);
        }
    }

    /// <summary>Writes one decoded blob to every place that needs it.</summary>
    public void Write(BlobTarget blob, ReadOnlySpan<byte> plaintext)
    {
        var hole = _options.Sparse && plaintext.IndexOfAnyExcept((byte)0) < 0;
        foreach (var (file, offset) in blob.Writes)
        {
            if (!hole && !file.Failed)
            {
                try
                {
                    using var lease = _files.Rent(file);
                    Posix.PWrite(lease.Fd, plaintext, offset);
                }
                catch (PosixException ex)
                {
                    FailFile(file, ex.Message);
                }
            }

            _tally.AddBytes(plaintext.Length);
            _tally.Progress.AddDone(0, plaintext.Length);
            if (file.CompleteOne())
            {
                FinishFile(file);
            }
        }
    }

    /// <summary>A blob that cannot be had: every file that needs it is reported (once) and finished without it.</summary>
    public void FailBlob(BlobTarget blob, string reason)
    {
        foreach (var (file, _) in blob.Writes)
        {
            FailFile(file, $"content lost: {reason}");
            if (file.CompleteOne())
            {
                FinishFile(file);
            }
        }
    }

    public void FailFile(PlannedFile file, string reason)
    {
        if (file.MarkFailed())
        {
            _tally.Error(file.Location, reason);
        }
    }

    public void CreateHardLinks(IEnumerable<PendingLink> links)
    {
        foreach (var link in links)
        {
            try
            {
                using var leaderDirectory = _directories.Rent(link.Leader.Directory);
                using var linkDirectory = _directories.Rent(link.Directory);
                RemoveExisting(linkDirectory.Fd, link.Name);
                Posix.LinkAt(leaderDirectory.Fd, link.Leader.Name, linkDirectory.Fd, link.Name);
                _tally.AddOther();
            }
            catch (PosixException ex)
            {
                _tally.Error(link.Location, ex.Message);
            }
        }
    }

    /// <summary>Owner, mode and times of folders whose content is all in place, deepest first; then their descriptors are let go.</summary>
    public void ApplyDirectoryMetadata(IEnumerable<PlannedDirectory> directories)
    {
        foreach (var directory in directories)
        {
            if (directory.Node is not null)
            {
                try
                {
                    using var lease = _directories.Rent(directory);
                    NodeMetadata.Apply(lease.Fd, directory.Node, _options.RestoreOwners);
                }
                catch (PosixException ex)
                {
                    _tally.Error(directory.Location, ex.Message);
                }
            }

            _directories.Close(directory);
        }
    }

    public void Dispose()
    {
        _files.Dispose();
        _directories.Dispose();
    }

    /// <summary>All of a file's blobs are written (or lost): owner, mode, times; then close it.</summary>
    private void FinishFile(PlannedFile file)
    {
        try
        {
            using var lease = _files.Rent(file);
            NodeMetadata.Apply(lease.Fd, file.Node, _options.RestoreOwners);
        }
        catch (PosixException ex)
        {
            FailFile(file, ex.Message);
        }
        finally
        {
            _files.Close(file);
            _tally.Progress.AddDone(1, 0);
        }
    }

    private FileDescriptor OpenFile(PlannedFile file)
    {
        using var directory = _directories.Rent(file.Directory);
        lock (file)
        {
            if (!file.Created)
            {
                return CreateFile(directory.Fd, file);
            }
        }

        var fd = Posix.OpenAt(directory.Fd, file.Name, OpenFlags.WriteOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.NoCtty);
        var status = Posix.Stat(fd);
        if (!status.IsRegular || status.Inode != file.Inode)
        {
            fd.Dispose();
            throw new PosixException("openat (the file was replaced while restoring)", Errno.EEXIST, file.Name);
        }

        return fd;
    }

    private FileDescriptor OpenDirectory(PlannedDirectory directory)
    {
        if (directory.Parent is null)
        {
            return new FileDescriptor(_root.Value, ownsHandle: false);
        }

        using var parent = _directories.Rent(directory.Parent);
        return Posix.OpenDirectoryAt(parent.Fd, directory.Name);
    }
}
