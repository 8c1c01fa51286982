namespace Cellar.Repository.Restoring;

/// <summary>One entry that could not be restored (or was refused), with the reason.</summary>
public sealed record RestoreError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
