namespace Cellar.Databases.Sqlite;

/// <summary>
/// An SQLite database file as Cells v5 names it: <c>sqlite:///abs/path.db?prefix=…</c> (also
/// <c>sqlite3://</c>, <c>file:</c>, or a bare path with driver <c>sqlite</c>). The query (Cells
/// templates, driver options) is ignored for opening and kept in <see cref="ToConfigText"/>.
/// </summary>
public sealed class SqliteDsn : DatabaseDsn
{
    private readonly string _raw;

    private SqliteDsn(string raw, string path)
    {
        _raw = raw;
        Path = path;
    }

    public override IDatabaseEngine Engine => DatabaseEngines.Sqlite;

    /// <summary>The database file (relative until <see cref="ResolveRelativeTo"/>).</summary>
    public string Path { get; }

    public override string Database => Path;

    public override string? LocalFile => System.IO.Path.IsPathRooted(Path) ? Path : null;

    public static SqliteDsn Parse(string dsn)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        var text = dsn.Trim();
        var rest = text;
        foreach (var prefix in new[] { "sqlite3://", "sqlite://", "file://", "file:" })
        {
            if (rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[prefix.Length..];
                break;
            }
        }

        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            rest = rest[..q];
        }

        rest = Uri.UnescapeDataString(rest);
        if (rest.Length == 0 || rest == ":memory:" || rest.Contains("{{", StringComparison.Ordinal))
        {
            throw new FormatException($"the SQLite DSN names no database file ('{rest}'); give sqlite:///path/to/cells.db.");
        }

        return new SqliteDsn(text, rest);
    }

    public override DatabaseDsn ResolveRelativeTo(string directory) =>
        System.IO.Path.IsPathRooted(Path) ? this : new SqliteDsn(_raw, System.IO.Path.GetFullPath(Path, directory));

    public override string ToConfigText() => _raw;

    public override bool IsSameDatabase(DatabaseDsn other) =>
        other is SqliteDsn o && System.IO.Path.GetFullPath(Path) == System.IO.Path.GetFullPath(o.Path);

    public override string ToString() => "sqlite://" + Path;
}
