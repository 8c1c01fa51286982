using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Cellar.Databases.MySql;

/// <summary>
/// A MySQL/MariaDB data source as Cells writes it in <c>pydio.json</c>: go-sql-driver form
/// (<c>user:pass@tcp(host:port)/db?params</c>, <c>user:pass@unix(/path.sock)/db?params</c>), the v5
/// <c>mysql://</c> form (its <c>{{…}}</c> template parameters are kept but ignored), or a plain
/// MySqlConnector connection string. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class MySqlDsn : DatabaseDsn
{
    private static readonly HashSet<string> TemplateParameters = new(StringComparer.OrdinalIgnoreCase) { "prefix", "policies", "singular" };

    private MySqlDsn(DsnStyle style, string user, string password, string? host, int port, string? socket, string database, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Style = style;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Socket = socket;
        Database = database;
        Parameters = parameters;
    }

    /// <summary>How the DSN was written; <see cref="ToGoDsn"/> writes the same style back.</summary>
    public DsnStyle Style { get; }

    public string User { get; }

    /// <summary>The password in clear: only for connecting and for writing the DSN back into configuration.</summary>
    public string Password { get; }

    /// <summary>Host name or address for TCP, null for a unix socket.</summary>
    public string? Host { get; }

    public int Port { get; }

    /// <summary>Unix socket path, null for TCP.</summary>
    public string? Socket { get; }

    public override string Database { get; }

    public override IDatabaseEngine Engine => DatabaseEngines.MySql;

    /// <summary>The query parameters as written (including template parameters Cells fills in).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>Parses any of the accepted forms; throws <see cref="FormatException"/> with a sentence (without the password) when it cannot.</summary>
    public static MySqlDsn Parse(string dsn)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        var text = dsn.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("The database DSN is empty; give one like user:password@tcp(host:3306)/database.");
        }

        if (text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseGo(text["mysql://".Length..], DsnStyle.MySqlUrl);
        }

        if (LooksLikeConnectionString(text))
        {
            return ParseConnectionString(text);
        }

        return ParseGo(text, DsnStyle.GoSqlDriver);
    }

    public static bool TryParse(string dsn, out MySqlDsn? result)
    {
        try
        {
            result = Parse(dsn);
            return true;
        }
        catch (FormatException)
        {
            result = null;
            return false;
        }
    }

    /// <summary>The same server and credentials, another database.</summary>
    public MySqlDsn WithDatabase(string database) => new(Style, User, Password, Host, Port, Socket, database, Parameters);

    /// <summary>The same credentials and database on another TCP host.</summary>
    public MySqlDsn WithHost(string host, int port = 3306) => new(Style, User, Password, host, port, null, Database, Parameters);

    /// <summary>The same credentials and database through a unix socket.</summary>
    public MySqlDsn WithSocket(string socketPath) => new(Style, User, Password, null, 0, socketPath, Database, Parameters);

    /// <summary>Other credentials, same place.</summary>
    public MySqlDsn WithCredentials(string user, string password) => new(Style, user, password, Host, Port, Socket, Database, Parameters);

    /// <summary>
    /// The DSN in go-sql-driver form (with <c>mysql://</c> when it was read that way, and every
    /// parameter as written), password included: for writing back into <c>pydio.json</c>.
    /// </summary>
    public string ToGoDsn() => Format(includePassword: true);

    public override string ToConfigText() => ToGoDsn();

    public override bool IsSameDatabase(DatabaseDsn other) =>
        other is MySqlDsn o && Host == o.Host && Port == o.Port && Socket == o.Socket && Database == o.Database;

    /// <summary>The DSN without its password, for output and logs.</summary>
    public override string ToString() => Format(includePassword: false);

    /// <summary>A MySqlConnector connection string with the options Cellar relies on (utf8mb4, zero dates, no timeouts on long reads).</summary>
    public string ToConnectionString()
    {
        var builder = new MySqlConnectionStringBuilder
        {
            UserID = User,
            Password = Password,
            Database = Database,
            CharacterSet = "utf8mb4",
            AllowZeroDateTime = true,
            ConvertZeroDateTime = false,
            TreatTinyAsBoolean = false,
            AllowUserVariables = true,
            DefaultCommandTimeout = 0,
            ConnectionTimeout = 15,
            Pooling = false,
            AllowLoadLocalInfile = false,
            UseAffectedRows = false,
            GuidFormat = MySqlGuidFormat.None,
        };
        if (Socket is not null)
        {
            builder.Server = Socket;
            builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
            builder.SslMode = MySqlSslMode.None;
        }
        else
        {
            builder.Server = Host ?? "localhost";
            builder.Port = checked((uint)(Port == 0 ? 3306 : Port));
            builder.SslMode = Parameter("tls")?.ToLowerInvariant() switch
            {
                "true" => MySqlSslMode.VerifyFull,
                "skip-verify" => MySqlSslMode.Required,
                "false" => MySqlSslMode.None,
                _ => MySqlSslMode.Preferred,
            };
        }

        if (string.Equals(Parameter("allowPublicKeyRetrieval"), "true", StringComparison.OrdinalIgnoreCase))
        {
            builder.AllowPublicKeyRetrieval = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>The value of a query parameter (template parameters included), or null.</summary>
    public string? Parameter(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>True for the parameters Cells v5 fills in as templates (<c>prefix</c>, <c>policies</c>, <c>singular</c>, or any <c>{{…}}</c> value).</summary>
    public static bool IsTemplateParameter(string key, string value) => TemplateParameters.Contains(key) || value.Contains("{{", StringComparison.Ordinal);

    private string Format(bool includePassword)
    {
        var sb = new StringBuilder();
        if (Style == DsnStyle.MySqlUrl)
        {
            sb.Append("mysql://");
        }

        if (User.Length > 0 || Password.Length > 0)
        {
            sb.Append(User);
            if (Password.Length > 0)
            {
                sb.Append(':').Append(includePassword ? Password : "***");
            }

            sb.Append('@');
        }

        if (Socket is not null)
        {
            sb.Append("unix(").Append(Socket).Append(')');
        }
        else
        {
            var host = Host ?? "localhost";
            sb.Append("tcp(").Append(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host).Append(':')
                .Append((Port == 0 ? 3306 : Port).ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        sb.Append('/').Append(Database);
        for (var i = 0; i < Parameters.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(Parameters[i].Key).Append('=').Append(Parameters[i].Value);
        }

        return sb.ToString();
    }

    private static bool LooksLikeConnectionString(string text) =>
        text.Contains('=', StringComparison.Ordinal) && text.Contains(';', StringComparison.Ordinal) && !text.Contains("@tcp(", StringComparison.OrdinalIgnoreCase)
        && !text.Contains("@unix(", StringComparison.OrdinalIgnoreCase);

    private static MySqlDsn ParseConnectionString(string text)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("The database connection string is not valid: " + RedactMessage(ex.Message, text) + ".");
        }

        var isSocket = builder.ConnectionProtocol == MySqlConnectionProtocol.UnixSocket || builder.Server.StartsWith('/');
        return new MySqlDsn(
            DsnStyle.ConnectionString, builder.UserID, builder.Password, isSocket ? null : builder.Server, isSocket ? 0 : checked((int)builder.Port),
            isSocket ? builder.Server : null, builder.Database, []);
    }

    private static string RedactMessage(string message, string source)
    {
        _ = source;
        return message.Contains("password", StringComparison.OrdinalIgnoreCase) ? "bad option" : message;
    }

    private static MySqlDsn ParseGo(string text, DsnStyle style)
    {
        // [user[:password]@][net[(addr)]]/dbname[?param1=value1&paramN=valueN]; the password may hold '@' and ':'.
        var slash = text.LastIndexOf('/');
        var paren = text.LastIndexOf(')');
        if (paren > slash)
        {
            slash = text.IndexOf('/', paren);
        }

        if (slash < 0)
        {
            throw new FormatException("The database DSN has no '/database' part; expected user:password@tcp(host:3306)/database.");
        }

        var left = text[..slash];
        var right = text[(slash + 1)..];
        var user = "";
        var password = "";
        var at = left.LastIndexOf('@');
        var net = left;
        if (at >= 0)
        {
            var userInfo = left[..at];
            net = left[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = colon < 0 ? userInfo : userInfo[..colon];
            password = colon < 0 ? "" : userInfo[(colon + 1)..];
            if (style == DsnStyle.MySqlUrl)
            {
                user = Uri.UnescapeDataString(user);
                password = Uri.UnescapeDataString(password);
            }
        }

        string? host = "localhost";
        var port = 3306;
        string? socket = null;
        if (net.Length > 0)
        {
            var open = net.IndexOf('(', StringComparison.Ordinal);
            var protocol = open < 0 ? net : net[..open];
            string? address = null;
            if (open >= 0)
            {
                if (!net.EndsWith(')'))
                {
                    throw new FormatException($"The database DSN address '{net}' is missing its closing ')'.");
                }

                address = net[(open + 1)..^1];
            }

            switch (protocol.ToLowerInvariant())
            {
                case "tcp":
                case "tcp6":
                case "tcp4":
                    (host, port) = SplitHostPort(address ?? "127.0.0.1:3306");
                    break;
                case "unix":
                    socket = string.IsNullOrEmpty(address) ? "/tmp/mysql.sock" : address;
                    host = null;
                    port = 0;
                    break;
                default:
                    throw new FormatException($"The database DSN uses protocol '{protocol}'; Cellar understands tcp(...) and unix(...).");
            }
        }

        var query = "";
        var q = right.IndexOf('?', StringComparison.Ordinal);
        var database = q < 0 ? right : right[..q];
        if (q >= 0)
        {
            query = right[(q + 1)..];
        }

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            parameters.Add(eq < 0 ? new(pair, "") : new(pair[..eq], pair[(eq + 1)..]));
        }

        if (database.Contains('{', StringComparison.Ordinal))
        {
            throw new FormatException("The database name in the DSN is a template ('" + database + "'); give the real database name.");
        }

        return new MySqlDsn(style, user, password, host, port, socket, database, parameters);
    }

    private static (string Host, int Port) SplitHostPort(string address)
    {
        if (address.Length == 0)
        {
            return ("127.0.0.1", 3306);
        }

        string host;
        string? portText = null;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"The database DSN address '{address}' has an unclosed '['.");
            }

            host = address[1..close];
            if (close + 1 < address.Length && address[close + 1] == ':')
            {
                portText = address[(close + 2)..];
            }
        }
        else
        {
            var colon = address.LastIndexOf(':');
            host = colon < 0 ? address : address[..colon];
            portText = colon < 0 ? null : address[(colon + 1)..];
        }

        var port = 3306;
        if (!string.IsNullOrEmpty(portText) && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"The database DSN port '{portText}' is not a number between 1 and 65535.");
        }

        return (host.Length == 0 ? "127.0.0.1" : host, port);
    }
}
