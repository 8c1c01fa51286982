namespace Cellar.Repository.Storage;

/// <summary>The kinds of files in a restic repository, as its design document names them.</summary>
public enum FileType
{
    Config,
    Key,
    Lock,
    Snapshot,
    Index,
    Pack,
}
