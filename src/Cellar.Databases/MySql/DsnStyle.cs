namespace Cellar.Databases.MySql;

/// <summary>The way a <see cref="MySqlDsn"/> was written.</summary>
public enum DsnStyle
{
    /// <summary><c>user:pass@tcp(host:port)/db?params</c> (Cells v4).</summary>
    GoSqlDriver,

    /// <summary><c>mysql://user:pass@tcp(host:port)/db?params</c> (Cells v5).</summary>
    MySqlUrl,

    /// <summary>A MySqlConnector connection string (<c>Server=…;User ID=…</c>).</summary>
    ConnectionString,
}
