namespace Cellar.Repository.Storage;

/// <summary>Names one file of a repository: its type and its name (hex ID; empty for <see cref="FileType.Config"/>).</summary>
public readonly record struct FileHandle(FileType Type, string Name)
{
    public static FileHandle Config { get; } = new(FileType.Config, "");

    public override string ToString() => Type == FileType.Config ? "config" : $"{Type.ToString().ToLowerInvariant()}/{Name}";
}
