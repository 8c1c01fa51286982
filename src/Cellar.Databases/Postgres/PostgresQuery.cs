namespace Cellar.Databases.Postgres;

/// <summary>A read-only query through <c>psql</c> (the client Cellar already needs for PostgreSQL), each row its tab-separated fields; callers encode fields that may hold tabs or newlines.</summary>
public static class PostgresQuery
{
    public static Task<IReadOnlyList<string[]>> RunAsync(PostgresDsn dsn, string sql, string doing, CancellationToken cancellationToken) =>
        Internal.PgTools.QueryAsync(dsn, sql, doing, cancellationToken);
}
