namespace Cellar.Databases;

/// <summary>Reads a per-table dump from the files a <see cref="DirectoryDumpSink"/> wrote.</summary>
public sealed class DirectoryDumpSource(string directory) : IDumpSource
{
    public string Directory { get; } = directory;

    public ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, DumpStreamName.CheckSafe(name));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the dump folder {Directory} has no file {name}; it is incomplete or not a Cellar dump.", path);
        }

        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return ValueTask.FromResult(stream);
    }
}
