namespace Cellar.Databases;

/// <summary>Writes a per-table dump as files in a folder (created when missing).</summary>
public sealed class DirectoryDumpSink(string directory) : IDumpSink
{
    public string Directory { get; } = directory;

    public ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Stream stream = new FileStream(Path.Combine(Directory, DumpStreamName.CheckSafe(name)), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return ValueTask.FromResult(stream);
    }
}
