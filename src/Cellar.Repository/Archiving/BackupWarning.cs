namespace Cellar.Repository.Archiving;

/// <summary>Something the backup could not store as it was; the backup went on without it.</summary>
public sealed record BackupWarning(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
