using System.Globalization;
using System.Text;

namespace Cellar.Databases.Postgres;

/// <summary>
/// A PostgreSQL data source as Cells v5 writes it: a libpq URI
/// (<c>postgres://user:pw@host:5432/db?sslmode=disable&amp;prefix={{.Meta.prefix}}</c>, or through a
/// socket folder: <c>postgres://user:pw@/db?host=%2Frun%2Fpostgresql</c>), or libpq keywords
/// (<c>host=… user=… dbname=…</c>). Cells' template parameters (<c>prefix</c>, <c>policies</c>,
/// <c>singular</c>, any value holding <c>{{</c>) are ignored for connecting and kept in
/// <see cref="ToConfigText"/>. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class PostgresDsn : DatabaseDsn
{
    private static readonly HashSet<string> TemplateParameters = new(StringComparer.OrdinalIgnoreCase) { "prefix", "policies", "singular" };

    private readonly string _raw;

    private PostgresDsn(string raw, string user, string password, string? host, int port, string database, IReadOnlyDictionary<string, string> options)
    {
        _raw = raw;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Database = database;
        Options = options;
    }

    public override IDatabaseEngine Engine => DatabaseEngines.Postgres;

    public string User { get; }

    /// <summary>The password in clear: only for connecting (passed to the client tools in PGPASSWORD, never on a command line).</summary>
    public string Password { get; }

    /// <summary>A host name or address, or a socket folder (starts with '/'); null for libpq's default.</summary>
    public string? Host { get; }

    /// <summary>0 for the default port (5432).</summary>
    public int Port { get; }

    public override string Database { get; }

    /// <summary>libpq connection options other than host, port, user, password and dbname (sslmode …), templates left out.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    public static PostgresDsn Parse(string dsn)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        var text = dsn.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("The database DSN is empty; give one like postgres://user:password@host:5432/database.");
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        return schemeEnd > 0 ? ParseUri(text, text[(schemeEnd + 3)..]) : ParseKeywords(text);
    }

    /// <summary>The same server and credentials, another database.</summary>
    public PostgresDsn WithDatabase(string database) => new(_raw, User, Password, Host, Port, database, Options);

    public override string ToConfigText() => _raw;

    public override bool IsSameDatabase(DatabaseDsn other) =>
        other is PostgresDsn o && (Host ?? "") == (o.Host ?? "") && EffectivePort == o.EffectivePort && Database == o.Database;

    public override string ToString()
    {
        var where = Host is null ? "" : Host.StartsWith('/') ? "" : Host + (Port == 0 ? "" : ":" + Port.ToString(CultureInfo.InvariantCulture));
        var sb = new StringBuilder("postgres://").Append(Uri.EscapeDataString(User));
        if (Password.Length > 0)
        {
            sb.Append(":***");
        }

        sb.Append('@').Append(where).Append('/').Append(Uri.EscapeDataString(Database));
        if (Host is not null && Host.StartsWith('/'))
        {
            sb.Append("?host=").Append(Uri.EscapeDataString(Host));
            if (Port != 0)
            {
                sb.Append("&port=").Append(Port.ToString(CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Where the server is, for messages.</summary>
    public string Where => Host is null ? "the default socket" : Host.StartsWith('/') ? $"socket folder {Host} (port {EffectivePort})" : $"{Host}:{EffectivePort}";

    internal int EffectivePort => Port == 0 ? 5432 : Port;

    /// <summary>The environment the libpq client tools read (PGHOST …), so no secret lands on a command line.</summary>
    internal IReadOnlyDictionary<string, string> Environment(string? database = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGUSER"] = User,
            ["PGDATABASE"] = database ?? Database,
            ["PGPORT"] = EffectivePort.ToString(CultureInfo.InvariantCulture),
            ["PGCONNECT_TIMEOUT"] = Options.GetValueOrDefault("connect_timeout", "15"),
            ["PGAPPNAME"] = "cellar",
        };
        if (Host is not null)
        {
            env["PGHOST"] = Host;
        }

        if (Password.Length > 0)
        {
            env["PGPASSWORD"] = Password;
        }

        foreach (var (key, variable) in new[] { ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"), ("options", "PGOPTIONS") })
        {
            if (Options.TryGetValue(key, out var value))
            {
                env[variable] = value;
            }
        }

        return env;
    }

    private static PostgresDsn ParseUri(string raw, string rest)
    {
        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Decode(rest[(slash + 1)..]) : "";
        string user = "", password = "";
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':');
            (user, password) = colon >= 0 ? (Decode(credentials[..colon]), Decode(credentials[(colon + 1)..])) : (Decode(credentials), "");
        }

        string? host = null;
        var port = 0;
        if (authority.Length > 0)
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0 && !authority.EndsWith(']'))
            {
                port = ParsePort(authority[(colon + 1)..]);
                authority = authority[..colon];
            }

            host = Decode(authority.Trim('[', ']'));
        }

        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Decode(eq >= 0 ? pair[..eq] : pair);
            var value = eq >= 0 ? Decode(pair[(eq + 1)..]) : "";
            Add(options, key, value, ref host, ref port, ref user, ref password, ref database);
        }

        return Build(raw, user, password, host, port, database, options);
    }

    private static PostgresDsn ParseKeywords(string raw)
    {
        if (!raw.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException("the PostgreSQL DSN is neither a postgres:// URI nor libpq keywords (host=… dbname=…).");
        }

        string? host = null;
        var port = 0;
        string user = "", password = "", database = "";
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < raw.Length)
        {
            while (i < raw.Length && char.IsWhiteSpace(raw[i]))
            {
                i++;
            }

            if (i >= raw.Length)
            {
                break;
            }

            var eq = raw.IndexOf('=', i);
            if (eq < 0)
            {
                throw new FormatException($"the PostgreSQL DSN has a keyword without a value near '{raw[i..].Split(' ')[0]}'.");
            }

            var key = raw[i..eq].Trim();
            i = eq + 1;
            var value = new StringBuilder();
            if (i < raw.Length && raw[i] == '\'')
            {
                i++;
                while (i < raw.Length && raw[i] != '\'')
                {
                    if (raw[i] == '\\' && i + 1 < raw.Length)
                    {
                        i++;
                    }

                    value.Append(raw[i++]);
                }

                i++;
            }
            else
            {
                while (i < raw.Length && !char.IsWhiteSpace(raw[i]))
                {
                    value.Append(raw[i++]);
                }
            }

            Add(options, key, value.ToString(), ref host, ref port, ref user, ref password, ref database);
        }

        return Build(raw, user, password, host, port, database, options);
    }

    private static void Add(Dictionary<string, string> options, string key, string value, ref string? host, ref int port, ref string user, ref string password, ref string database)
    {
        if (TemplateParameters.Contains(key) || value.Contains("{{", StringComparison.Ordinal))
        {
            return;
        }

        switch (key.ToLowerInvariant())
        {
            case "host":
                host = value;
                break;
            case "port":
                port = ParsePort(value);
                break;
            case "user":
                user = value;
                break;
            case "password":
                password = value;
                break;
            case "dbname":
                database = value;
                break;
            default:
                options[key] = value;
                break;
        }
    }

    private static PostgresDsn Build(string raw, string user, string password, string? host, int port, string database, Dictionary<string, string> options)
    {
        if (database.Length == 0)
        {
            throw new FormatException("the PostgreSQL DSN names no database; add /DATABASE (or dbname=DATABASE).");
        }

        if (user.Length == 0)
        {
            user = System.Environment.UserName;
        }

        return new PostgresDsn(raw, user, password, string.IsNullOrEmpty(host) ? null : host, port, database, options);
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"the PostgreSQL DSN has port '{text}', which is not a port number.");

    private static string Decode(string text) => Uri.UnescapeDataString(text);
}
