namespace Cellar.Cells;

/// <summary>
/// The SQL DSN of a Cells installation as written in pydio.json: go-sql-driver form
/// <c>user:pass@tcp(host:port)/db?params</c> or <c>user:pass@unix(/path.sock)/db?params</c>, which v5
/// prefixes with <c>mysql://</c> and extends with template parameters (<c>prefix</c>,
/// <c>policies</c>, <c>singular</c>). Parsed only enough to show it and to connect; never shown with its password.
/// </summary>
internal sealed record CellsDsn(string Raw, string? Scheme, string User, string? Password, string Protocol, string Address, string Database, string Query)
{
    private static readonly string[] TemplateParameters = ["prefix", "policies", "singular"];

    /// <summary>Parses a DSN the way go-sql-driver splits it: the database after the last '/', credentials before the last '@'.</summary>
    public static CellsDsn Parse(string raw)
    {
        var rest = raw.Trim();
        string? scheme = null;
        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && !rest[..schemeEnd].Contains('@') && !rest[..schemeEnd].Contains('('))
        {
            scheme = rest[..schemeEnd];
            rest = rest[(schemeEnd + 3)..];
        }

        var query = "";
        var slash = rest.LastIndexOf('/');
        var closeParen = rest.LastIndexOf(')');
        if (slash < 0 || slash < closeParen)
        {
            throw new FormatException("the SQL DSN has no '/database' part.");
        }

        var database = rest[(slash + 1)..];
        var q = database.IndexOf('?');
        if (q >= 0)
        {
            query = database[(q + 1)..];
            database = database[..q];
        }

        var head = rest[..slash];
        var user = "";
        string? password = null;
        var at = head.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = head[..at];
            head = head[(at + 1)..];
            var colon = credentials.IndexOf(':');
            (user, password) = colon >= 0 ? (credentials[..colon], credentials[(colon + 1)..]) : (credentials, null);
        }

        var protocol = "tcp";
        var address = head;
        var open = head.IndexOf('(');
        if (open >= 0 && head.EndsWith(')'))
        {
            protocol = head[..open];
            address = head[(open + 1)..^1];
        }

        if (protocol == "tcp" && address.Length == 0)
        {
            address = "127.0.0.1:3306";
        }

        return new CellsDsn(raw, scheme, user, password, protocol, address, database, query);
    }

    public bool IsUnixSocket => Protocol == "unix";

    /// <summary>The DSN with the password replaced by <c>***</c>.</summary>
    public string Redacted =>
        (Scheme is null ? "" : Scheme + "://") + (User.Length > 0 || Password is not null ? User + (Password is null ? "" : ":***") + "@" : "") +
        $"{Protocol}({Address})/{Database}" + (Query.Length > 0 ? "?" + Query : "");

    /// <summary>Plain go-sql-driver form: no scheme, no Cells template parameters.</summary>
    public string DriverForm
    {
        get
        {
            var kept = Query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !TemplateParameters.Contains(p.Split('=')[0], StringComparer.Ordinal));
            var query = string.Join('&', kept);
            return (User.Length > 0 || Password is not null ? User + (Password is null ? "" : ":" + Password) + "@" : "") +
                   $"{Protocol}({Address})/{Database}" + (query.Length > 0 ? "?" + query : "");
        }
    }
}
