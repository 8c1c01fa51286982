namespace Cellar.Repository.Platform;

/// <summary>One entry of a directory listing: its raw name, type (from d_type; Unknown on some file systems) and inode.</summary>
public readonly record struct DirectoryEntry(RawPath Name, FileKind Kind, ulong Inode);
