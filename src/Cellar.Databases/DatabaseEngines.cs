using Cellar.Databases.MySql;

namespace Cellar.Databases;

/// <summary>
/// Chooses the engine for a DSN. The DSN's scheme decides (<c>mysql://</c>, <c>postgres://</c>,
/// <c>sqlite://</c> …), as in Cells v5 where the driver field is the generic <c>sql</c>; the driver
/// field is only a hint for DSNs without a scheme (Cells v4 writes go-sql-driver DSNs such as
/// <c>user:pass@tcp(host:3306)/cells</c> with driver <c>mysql</c>).
/// </summary>
public static class DatabaseEngines
{
    public static IDatabaseEngine MySql { get; } = new MySqlEngine();

    /// <summary>Every engine Cellar has, in the order messages list them.</summary>
    public static IReadOnlyList<IDatabaseEngine> All { get; } = [MySql];

    /// <summary>The engine recorded in a manifest under <see cref="IDatabaseEngine.Name"/>.</summary>
    public static IDatabaseEngine ByName(string name) =>
        All.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new FormatException($"the database engine '{name}' is not one Cellar knows ({string.Join(", ", All.Select(e => e.Name))}); use a newer Cellar.");

    /// <summary>Picks the engine from <paramref name="dsn"/> (its scheme) or else from <paramref name="driverHint"/>, and parses the DSN with it.</summary>
    public static DatabaseDsn Parse(string dsn, string? driverHint = null) => Choose(dsn, driverHint).Parse(dsn);

    /// <summary>The engine for a DSN; throws <see cref="FormatException"/> naming what is not supported.</summary>
    public static IDatabaseEngine Choose(string dsn, string? driverHint = null)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        var scheme = SchemeOf(dsn.Trim());
        if (scheme is not null)
        {
            return ForKeyword(scheme) ?? throw new FormatException(
                $"the DSN scheme '{scheme}://' is not a database Cellar backs up ({Supported()}).");
        }

        if (!string.IsNullOrWhiteSpace(driverHint) && !IsGenericDriver(driverHint))
        {
            return ForKeyword(driverHint.Trim()) ?? throw new FormatException(
                $"the database driver '{driverHint}' is not one Cellar backs up ({Supported()}).");
        }

        // No scheme and no specific driver: Cells v4 and its upgrades write go-sql-driver MySQL DSNs.
        return MySql;
    }

    /// <summary>The <c>scheme</c> of <c>scheme://…</c>, or null when the DSN has none.</summary>
    public static string? SchemeOf(string dsn)
    {
        var end = dsn.IndexOf("://", StringComparison.Ordinal);
        if (end <= 0)
        {
            return null;
        }

        var scheme = dsn[..end];
        return scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') && char.IsAsciiLetter(scheme[0]) ? scheme.ToLowerInvariant() : null;
    }

    private static bool IsGenericDriver(string driver) => driver.Trim().Equals("sql", StringComparison.OrdinalIgnoreCase);

    private static IDatabaseEngine? ForKeyword(string keyword) => keyword.ToLowerInvariant() switch
    {
        "mysql" or "mariadb" => MySql,
        _ => null,
    };

    private static string Supported() => string.Join(", ", All.Select(e => e.DisplayName));
}
