namespace Cellar.Repository.Archiving;

/// <summary>How an entry compares with the parent snapshot.</summary>
internal enum FileChange
{
    New,
    Changed,
    Unmodified,
}
