using Cellar.Repository.Platform;
using Cellar.Testing;
using Cellar.Testing.Bolt;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// A whole Cells installation backed up with <c>cellar backup</c> (no paths), destroyed, and brought
/// back with <c>cellar restore latest</c> (no target), against a real MariaDB.
/// </summary>
public sealed class InstallationEndToEndTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private const uint OtherUser = 1234;

    [Fact]
    public async Task V4_installation_found_through_CELLS_WORKING_DIR_with_a_TCP_DSN_comes_back_exactly_and_is_not_restored_twice()
    {
        using var root = new TempDirectory("cellar-install-v4");
        var db = await server.CreateDatabaseAsync("cells4");
        await server.CreateUserAsync("pydio", "s3cret!", $"ALL ON `{db}`.*");
        await SeedAsync(db);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V4, server.TcpDsn("pydio", "s3cret!", db) + "?parseTime=true", realBoltStores: true);
        GiveToOtherUser(install);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "repo password",
        };

        var original = await RoundTripAsync(root, install, db, env);

        // Relocation: a new working dir and a new database; pydio.json keeps no trace of the old place.
        Directory.Delete(install.ExternalFolder, recursive: true);
        var newDb = await server.CreateDatabaseAsync("cells4moved");
        var newDsn = server.TcpDsn("root2", "pw2", newDb);
        await server.CreateUserAsync("root2", "pw2", $"ALL ON `{newDb}`.*");
        var moved = root.Combine("moved", "cells");
        var (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--cells-dir", moved, "--db-dsn", newDsn);
        code.ShouldBe(0, output + error);
        var relocated = await File.ReadAllTextAsync(Path.Combine(moved, "pydio.json"));
        relocated.ShouldNotContain(install.WorkingDir + "/");
        relocated.ShouldNotContain("\"" + install.WorkingDir + "\"");
        relocated.ShouldContain(moved);
        relocated.ShouldContain(newDsn);
        File.Exists(Path.Combine(moved, "pydio.json.orig")).ShouldBeTrue();
        (await DescribeAsync(newDb)).ShouldBe(original);
        foreach (var bolt in install.BoltFiles)
        {
            var movedBolt = moved + bolt[install.WorkingDir.Length..];
            (await BoltWriter.CheckAsync(movedBolt)).Sound.ShouldBeTrue(movedBolt);
        }
    }

    [Fact]
    public async Task V5_upgraded_from_v4_found_through_XDG_CONFIG_HOME_with_a_unix_socket_DSN_comes_back_exactly()
    {
        using var root = new TempDirectory("cellar-install-v5");
        var db = await server.CreateDatabaseAsync("cells5");
        await SeedAsync(db);
        var xdg = root.Combine("xdg");
        var wd = Path.Combine(xdg, "pydio", "cells");
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V5, server.RootDsn(db) + "?parseTime=true", realBoltStores: true, workingDir: wd);
        GiveToOtherUser(install);
        var env = new Dictionary<string, string>
        {
            ["XDG_CONFIG_HOME"] = xdg,
            ["HOME"] = root.Combine("home"),
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "repo password",
        };

        await RoundTripAsync(root, install, db, env);
    }

    [Theory]
    [InlineData(CellsShape.V5Fresh)]
    [InlineData(CellsShape.V5FreshInline)]
    public async Task Fresh_v5_install_with_driver_sql_and_a_mysql_url_on_MariaDB_comes_back_exactly(CellsShape shape)
    {
        // discovery/install/lib/database.go (v5): SetDatabase(id, "sql", dsn); the default is a $ref or the entry itself.
        using var root = new TempDirectory("cellar-install-v5fresh");
        var db = await server.CreateDatabaseAsync("cells5f");
        await SeedAsync(db);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), shape, "mysql://" + server.RootDsn(db) + "?parseTime=true", realBoltStores: true);
        GiveToOtherUser(install);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "repo password",
        };

        await RoundTripAsync(root, install, db, env);
    }

    [Fact]
    public async Task First_backup_without_a_repository_creates_the_default_one_beside_the_installation_with_a_private_password_file()
    {
        using var root = new TempDirectory("cellar-install-default");
        var db = await server.CreateDatabaseAsync("cellsdef");
        await SeedAsync(db);
        var install = await CellsInstallation.CreateAsync(root.Path, CellsShape.V4, server.RootDsn(db), realBoltStores: true);
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir };

        var (code, output, error) = await CliHarness.RunAsync(env, "backup");

        code.ShouldBe(0, output + error);
        var repository = root.Combine("cellar-repository");
        File.Exists(Path.Combine(repository, "config")).ShouldBeTrue();
        output.ShouldContain("created the default repository " + repository);
        output.ShouldContain("same disk");
        var passwordFile = repository + ".password";
        (Posix.Stat(RawPath.FromString(passwordFile)).Permissions & 0x3F).ShouldBe(0u);
        output.ShouldContain(passwordFile);

        // The real restic reads it with the generated password.
        var restic = ExternalTool.Find("restic");
        if (restic is not null)
        {
            var (rc, listing, rerr) = await ExternalTool.RunAsync(restic, ["-r", repository, "--password-file", passwordFile, "snapshots", "--tag", "cells"]);
            rc.ShouldBe(0, rerr);
            listing.ShouldContain(install.WorkingDir);
        }
    }

    [Fact]
    public async Task A_database_that_cannot_be_loaded_leaves_the_restore_marked_incomplete_and_says_how_to_finish()
    {
        using var root = new TempDirectory("cellar-install-dbfail");
        var (db, install, env) = await NewInstallationWithRepositoryAsync(root, "cellsdbf");
        int code;
        string output, error;
        (code, output, error) = await CliHarness.RunAsync(env, "backup");
        code.ShouldBe(0, output + error);
        Directory.Delete(install.ExternalFolder, recursive: true);

        // The target user may read but not create tables: the check passes, the load fails after the files are placed.
        var readOnlyDb = await server.CreateDatabaseAsync("cellsdbfro");
        await server.CreateUserAsync("reader", "pw3", $"SELECT ON `{readOnlyDb}`.*");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--cells-dir", root.Combine("moved"), "--db-dsn", server.TcpDsn("reader", "pw3", readOnlyDb));

        code.ShouldBe(1, output + error);
        error.ShouldContain("INCOMPLETE");
        error.ShouldContain("do not start Cells");
        error.ShouldContain("--force");
        File.Exists(Path.Combine(root.Combine("moved"), "pydio.json")).ShouldBeTrue(output + error);
    }

    [Fact]
    public async Task Restore_latest_skips_a_pass_one_snapshot_left_by_an_interrupted_quiesced_backup()
    {
        using var root = new TempDirectory("cellar-install-pass1");
        var (db, install, env) = await NewInstallationWithRepositoryAsync(root, "cellsp1");
        int code;
        string output, error;
        (code, output, error) = await CliHarness.RunAsync(env, "backup");
        code.ShouldBe(0, output + error);
        // What a quiesced backup killed during its second pass leaves: pass 1 alone, newer, tagged as Cells.
        (code, output, error) = await CliHarness.RunAsync(env, "backup", "--tag", "cells", "--tag", "cells-pass1", install.WorkingDir);
        code.ShouldBe(0, output + error);

        Directory.Delete(install.WorkingDir, recursive: true);
        Directory.Delete(install.ExternalFolder, recursive: true);
        await server.ExecuteAsync($"DROP DATABASE `{db}`");
        await server.ExecuteAsync($"CREATE DATABASE `{db}`");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest");

        code.ShouldBe(0, output + error);
        output.ShouldContain("cells start");
        File.Exists(Path.Combine(install.WorkingDir, "pydio.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Restoring_a_snapshot_that_lacks_a_BoltDB_store_says_so_loudly_and_exits_incomplete()
    {
        using var root = new TempDirectory("cellar-install-torn");
        var (db, install, env) = await NewInstallationWithRepositoryAsync(root, "cellstorn");
        int code;
        string output, error;
        // A store cut after its first page never reads sound: a hot backup leaves it out and says so.
        var torn = install.BoltFiles[0];
        await using (var file = new FileStream(torn, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(4096);
        }

        (code, output, error) = await CliHarness.RunAsync(env, "backup", "--hot");
        code.ShouldBe(3, output + error);
        Directory.Delete(install.WorkingDir, recursive: true);
        Directory.Delete(install.ExternalFolder, recursive: true);
        await server.ExecuteAsync($"DROP DATABASE `{db}`");
        await server.ExecuteAsync($"CREATE DATABASE `{db}`");

        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest");

        code.ShouldBe(3, output + error);
        error.ShouldContain(torn);
        error.ShouldContain("not stored");
        File.Exists(Path.Combine(install.WorkingDir, "pydio.json")).ShouldBeTrue();
    }

    /// <summary>A seeded database, a v4 installation found through CELLS_WORKING_DIR, and an initialised repository.</summary>
    private async Task<(string Db, CellsInstallation Install, Dictionary<string, string> Env)> NewInstallationWithRepositoryAsync(TempDirectory root, string dbName)
    {
        var db = await server.CreateDatabaseAsync(dbName);
        await SeedAsync(db);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V4, server.RootDsn(db), realBoltStores: true);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        return (db, install, env);
    }

    private Task<string> RoundTripAsync(TempDirectory root, CellsInstallation install, string db, Dictionary<string, string> env) =>
        InstallationRoundTrip.RunAsync(root, install, env, new InstalledDatabase(
            () => DescribeAsync(db),
            async () =>
            {
                await server.ExecuteAsync($"DROP DATABASE `{db}`");
                await server.ExecuteAsync($"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            },
            sql => server.ExecuteAsync(sql, db)));

    private static void GiveToOtherUser(CellsInstallation install)
    {
        if (!Posix.IsRoot)
        {
            return;
        }

        foreach (var path in new[] { install.ExternalDatasource, Path.Combine(install.ExternalDatasource, "3f6c1a2e-0b8d-4c52-9c3e-6b1b1a8f2d11"), Path.Combine(install.WorkingDir, "cells-vault-key"), Path.Combine(install.WorkingDir, "data", "pydiods1", "welcome.txt") })
        {
            Posix.ChownAt(FileDescriptor.CurrentDirectory, RawPath.FromString(path), OtherUser, OtherUser);
        }
    }

    private async Task SeedAsync(string db)
    {
        await server.ExecuteAsync(
            "CREATE TABLE idm_user_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255) NOT NULL, mpath1 VARCHAR(255), hash BINARY(16), level SMALLINT) ENGINE=InnoDB;" +
            "CREATE TABLE idm_user_attributes (uuid VARCHAR(128), name VARCHAR(255), value LONGTEXT, PRIMARY KEY (uuid, name)) ENGINE=InnoDB;" +
            "CREATE TABLE data_index_pydiods1_idx_tree (uuid VARCHAR(128) PRIMARY KEY, mpath BLOB, etag VARCHAR(255), size BIGINT, mtime INT) ENGINE=InnoDB;" +
            "INSERT INTO idm_user_idx_tree VALUES ('u1','admin','1',UNHEX('00112233445566778899AABBCCDDEEFF'),1),('u2','émile','1.2',NULL,2);" +
            "INSERT INTO idm_user_attributes VALUES ('u1','first','{\"x\":\"\\\\u00e9\"}'),('u1','second','multi\\nline');" +
            "INSERT INTO data_index_pydiods1_idx_tree VALUES ('n1',UNHEX('000102FF'),'etag',10000,1732612345),('n2',NULL,NULL,0,0);",
            db);
    }

    /// <summary>Every table with its rows, in primary key order, as one text (equal text: equal row for row).</summary>
    private async Task<string> DescribeAsync(string db)
    {
        await using var connection = await server.OpenAsync(db);
        var tables = new List<string>();
        await using (var list = new MySqlConnector.MySqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            await using var select = new MySqlConnector.MySqlCommand($"SELECT * FROM `{table}` ORDER BY 1", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                    text.Append(value).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
