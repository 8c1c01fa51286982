using Cellar.Repository.Platform;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// Fresh Cells v5 installations on PostgreSQL and SQLite (driver <c>sql</c>, the engine in the DSN
/// scheme: discovery/install/lib/database.go) through <c>cellar backup</c> → destroy →
/// <c>cellar restore latest</c>, the database judged by psql/pg_dump or the stock sqlite3 client.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallationEnginesEndToEndTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string PostgresSeed = """
        CREATE TABLE idm_user_idx_tree (uuid varchar(128) PRIMARY KEY, name varchar(255) NOT NULL, mpath1 varchar(255), hash bytea, level smallint);
        CREATE TABLE idm_user_attributes (uuid varchar(128), name varchar(255), value text, PRIMARY KEY (uuid, name));
        CREATE TABLE data_index_pydiods1_idx_tree (uuid varchar(128) PRIMARY KEY, mpath bytea, etag varchar(255), size bigint, mtime int, meta jsonb, updated timestamptz);
        CREATE TABLE idm_policy (id serial PRIMARY KEY, weight numeric(20,6), tags text[]);
        CREATE INDEX idx_tree_etag ON data_index_pydiods1_idx_tree (etag);
        INSERT INTO idm_user_idx_tree VALUES ('u1', 'admin', '1', '\x00112233445566778899aabbccddeeff', 1), ('u2', 'émile', '1.2', NULL, 2);
        INSERT INTO idm_user_attributes VALUES ('u1', 'first', '{"x":"\u00e9"}'), ('u1', 'second', E'multi\nline');
        INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1', '\x000102ff', 'etag', 10000, 1732612345, '{"a": [1, 2.5]}', '2024-11-26 09:52:41.123456+00'), ('n2', NULL, NULL, 0, 0, NULL, NULL);
        INSERT INTO idm_policy (weight, tags) VALUES (1.5, '{a,"b c"}'), (-0.000001, NULL);
        """;

    private const string SqliteSeed = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE idm_user_idx_tree (uuid TEXT PRIMARY KEY, name TEXT NOT NULL, mpath1 TEXT, hash BLOB, level INTEGER);
        CREATE TABLE idm_user_attributes (uuid TEXT, name TEXT, value TEXT, PRIMARY KEY (uuid, name));
        CREATE TABLE data_index_pydiods1_idx_tree (uuid TEXT PRIMARY KEY, mpath BLOB, etag TEXT, size INTEGER, mtime INTEGER);
        INSERT INTO idm_user_idx_tree VALUES ('u1', 'admin', '1', x'00112233445566778899AABBCCDDEEFF', 1), ('u2', 'émile', '1.2', NULL, 2);
        INSERT INTO idm_user_attributes VALUES ('u1', 'first', '{"x":"é"}'), ('u1', 'second', 'multi
        line');
        INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1', x'000102FF', 'etag', 10000, 1732612345), ('n2', NULL, NULL, 0, 0);
        """;

    [Theory]
    [InlineData(CellsShape.V5Fresh)]
    [InlineData(CellsShape.V5FreshInline)]
    public async Task Fresh_v5_install_on_PostgreSQL_comes_back_exactly(CellsShape shape)
    {
        using var root = new TempDirectory("cellar-install-pg");
        var db = await postgres.CreateDatabaseAsync("cells");
        await postgres.PsqlAsync(db, PostgresSeed);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), shape, postgres.SocketDsn(db), realBoltStores: true);
        var env = Environment(root, install);

        await InstallationRoundTrip.RunAsync(root, install, env, new InstalledDatabase(
            () => postgres.SignatureAsync(db),
            () => postgres.PsqlAsync("postgres", $"DROP DATABASE \"{db}\""),
            sql => postgres.PsqlAsync(db, sql)));
    }

    [Fact]
    public async Task Cells_inspect_shows_the_PostgreSQL_engine_version_tables_and_size()
    {
        using var root = new TempDirectory("cellar-inspect-pg");
        var db = await postgres.CreateDatabaseAsync("cellsi");
        await postgres.PsqlAsync(db, PostgresSeed);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V5FreshInline, postgres.SocketDsn(db));

        var (code, output, error) = await CliHarness.RunAsync(Environment(root, install), "cells", "inspect");

        code.ShouldBe(0, output + error);
        output.ShouldContain("Database (PostgreSQL): postgres://postgres@/" + db);
        output.ShouldContain("server PostgreSQL 1");
        output.ShouldContain("4 tables");
    }

    [Theory]
    [InlineData(CellsShape.V5Fresh)]
    [InlineData(CellsShape.V5FreshInline)]
    public async Task Fresh_v5_install_on_SQLite_comes_back_exactly_with_the_database_file_owner_and_mode(CellsShape shape)
    {
        using var root = new TempDirectory("cellar-install-sqlite");
        var wd = root.Combine("site", "cells");
        var file = Path.Combine(wd, "cells.db");
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), shape, "sqlite://" + file, realBoltStores: true);
        await SqliteAsync(file, SqliteSeed);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Posix.IsRoot)
        {
            Posix.ChownAt(FileDescriptor.CurrentDirectory, RawPath.FromString(file), 1234, 1234);
        }

        var env = Environment(root, install);
        await InstallationRoundTrip.RunAsync(root, install, env, new InstalledDatabase(
            () => SqliteAsync(file, ".dump"),
            () => Task.CompletedTask, // the file lives in the working dir, which the round trip deletes
            sql => SqliteAsync(file, sql),
            IgnoredFiles: path => path == "cells.db" || path.StartsWith("cells.db-", StringComparison.Ordinal)));

        var stat = Posix.Stat(RawPath.FromString(file));
        (stat.Permissions & 0xFFF).ShouldBe(0x180u);
        if (Posix.IsRoot)
        {
            stat.Uid.ShouldBe(1234u);
        }
    }

    private static Dictionary<string, string> Environment(TempDirectory root, CellsInstallation install) => new()
    {
        ["CELLS_WORKING_DIR"] = install.WorkingDir,
        ["CELLAR_REPOSITORY"] = root.Combine("repo"),
        ["CELLAR_PASSWORD"] = "repo password",
    };

    private static async Task<string> SqliteAsync(string file, string sql)
    {
        var (code, output, error) = await ExternalTool.RunAsync(ExternalTool.Require("sqlite3"), [file], stdin: sql);
        code.ShouldBe(0, error);
        error.ShouldBeEmpty();
        return output;
    }
}
