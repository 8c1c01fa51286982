namespace Cellar.Cells.ObjectStorage;

/// <summary>
/// Credentials given for datasources in a file (never on the command line): one line per
/// datasource, <c>NAME ACCESS_KEY SECRET_KEY</c>, blank lines and <c>#</c> comments ignored. A file
/// readable by its group or by others is refused, as ssh refuses a private key.
/// </summary>
public sealed class DatasourceCredentials
{
    private readonly Dictionary<string, (string AccessKey, string SecretKey)> _entries;

    private DatasourceCredentials(Dictionary<string, (string, string)> entries) => _entries = entries;

    public static DatasourceCredentials None { get; } = new([]);

    public static DatasourceCredentials Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CellsConfigException(path, "the datasource credentials file does not exist.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            throw new CellsConfigException(path, $"the datasource credentials file is readable by others; make it private with 'chmod 600 {path}' and run again.");
        }

        var entries = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                throw new CellsConfigException(path, $"line {number} is not 'NAME ACCESS_KEY SECRET_KEY' (found {parts.Length} fields).");
            }

            if (!entries.TryAdd(parts[0], (parts[1], parts[2])))
            {
                throw new CellsConfigException(path, $"line {number} names datasource {parts[0]} a second time.");
            }
        }

        return new DatasourceCredentials(entries);
    }

    public bool TryGet(string datasource, out string accessKey, out string secretKey)
    {
        if (_entries.TryGetValue(datasource, out var entry))
        {
            (accessKey, secretKey) = entry;
            return true;
        }

        accessKey = secretKey = "";
        return false;
    }
}
