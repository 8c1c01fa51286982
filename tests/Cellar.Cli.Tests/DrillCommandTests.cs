using Cellar.Cells.Drill;
using Cellar.Repository;
using Cellar.Repository.Storage;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// <c>cellar drill</c> and <c>backup --verify-consistency</c> on a Cells installation with a real
/// MariaDB: the drill passes and reports a restore time without touching the live installation,
/// and each kind of sabotage is caught and named. Index tables follow Cells' own schema
/// (pydio/cells common/sql/index/migrations/mysql, data_index_NAME_idx_tree).
/// </summary>
public sealed class DrillCommandTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private const string FlatObject = "3f6c1a2e-0b8d-4c52-9c3e-6b1b1a8f2d11";

    [Fact]
    public async Task A_drill_of_a_sound_v4_snapshot_passes_reports_its_restore_time_and_leaves_the_live_installation_and_no_server_behind()
    {
        using var root = new TempDirectory("cellar-drill-ok");
        var (install, env) = await NewInstallationAsync(root, "drillok");
        (await CliHarness.RunAsync(env, "backup", "--verify-consistency")).ExitCode.ShouldBe(0);
        var before = root.Combine("before");
        await CopyAsync(root.Combine("site"), before);
        var scratch = root.Combine("scratch");

        var (code, output, error) = await CliHarness.RunAsync(env, "drill", "latest", "--scratch", scratch);

        code.ShouldBe(0, output + error);
        output.ShouldContain("drill PASSED");
        output.ShouldContain("time to recover:");
        output.ShouldContain("consistency: datasource external (flat): 1 indexed files, 1 objects, 0 problem(s)");
        TreeComparer.AssertEqual(before, root.Combine("site"), new TreeComparisonOptions { RootMetadata = true });
        Directory.Exists(Path.Combine(scratch, "database")).ShouldBeFalse("the scratch server's folder is removed");
        Directory.Exists(Path.Combine(scratch, "installation")).ShouldBeFalse();
        System.Diagnostics.Process.GetProcessesByName("mariadbd").ShouldAllBe(p => !CommandLine(p.Id).Contains(scratch));

        (code, output, error) = await CliHarness.RunAsync(env, "drill", "--json", "--no-save", "--scratch", root.Combine("scratch2"));
        code.ShouldBe(0, output + error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        json.RootElement.GetProperty("recover_seconds").GetDouble().ShouldBeGreaterThan(0);
        json.RootElement.GetProperty("files_verified").GetInt64().ShouldBeGreaterThan(5);
        json.RootElement.GetProperty("tables_verified").GetInt64().ShouldBe(3);
        json.RootElement.GetProperty("passed").GetBoolean().ShouldBeTrue();

        (code, output, _) = await CliHarness.RunAsync(env, "snapshots");
        output.ShouldContain("proven");
        output.ShouldContain("restore time");
        var restic = ExternalTool.Find("restic");
        if (restic is not null)
        {
            var (rc, _, rerr) = await ExternalTool.RunAsync(restic, ["-r", env["CELLAR_REPOSITORY"], "--password-file", PasswordFile(root), "check", "--read-data"]);
            rc.ShouldBe(0, rerr);
        }
    }

    [Fact]
    public async Task A_drill_of_a_v5_snapshot_with_a_mysql_url_DSN_passes()
    {
        using var root = new TempDirectory("cellar-drill-v5");
        var (_, env) = await NewInstallationAsync(root, "drillv5", CellsShape.V5);
        (await CliHarness.RunAsync(env, "backup")).ExitCode.ShouldBe(0);

        var (code, output, error) = await CliHarness.RunAsync(env, "drill", "--scratch", root.Combine("scratch"));

        code.ShouldBe(0, output + error);
        output.ShouldContain("drill PASSED");
        output.ShouldContain("3 tables (rows and digest), pydio.json ok");
    }

    [Fact]
    public async Task A_drill_refuses_a_scratch_folder_inside_the_live_installation()
    {
        using var root = new TempDirectory("cellar-drill-refuse");
        var (install, env) = await NewInstallationAsync(root, "drillrefuse");
        (await CliHarness.RunAsync(env, "backup")).ExitCode.ShouldBe(0);

        var (code, output, error) = await CliHarness.RunAsync(env, "drill", "--no-save", "--scratch", Path.Combine(install.WorkingDir, "scratch"));

        code.ShouldBe(1, output + error);
        error.ShouldContain("overlaps the installation");
        Directory.Exists(Path.Combine(install.WorkingDir, "scratch")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_flat_object_deleted_before_the_backup_is_found_by_verify_consistency_and_by_the_drill()
    {
        using var root = new TempDirectory("cellar-drill-flat");
        var (install, env) = await NewInstallationAsync(root, "drillflat");
        File.Delete(Path.Combine(install.ExternalDatasource, FlatObject));

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--verify-consistency");
        code.ShouldBe(3, output + error);
        error.ShouldContain("NOT CONSISTENT");
        error.ShouldContain($"missing-object");
        error.ShouldContain(FlatObject);

        (code, output, error) = await CliHarness.RunAsync(env, "drill", "--scratch", root.Combine("scratch"));
        code.ShouldBe(1, output + error);
        error.ShouldContain("datasource external: missing-object docs/report.pdf");
        output.ShouldContain("drill FAILED");
    }

    [Fact]
    public async Task A_flipped_byte_in_a_data_pack_fails_the_drill_naming_the_file()
    {
        using var root = new TempDirectory("cellar-drill-pack");
        var (install, env) = await NewInstallationAsync(root, "drillpack");
        var big = Path.Combine(install.WorkingDir, "data", "pydiods1", "big.bin");
        var bytes = new byte[3 << 20];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(big, bytes);
        (await CliHarness.RunAsync(env, "backup")).ExitCode.ShouldBe(0);
        var pack = new DirectoryInfo(Path.Combine(env["CELLAR_REPOSITORY"], "data")).EnumerateFiles("*", SearchOption.AllDirectories).OrderByDescending(f => f.Length).First();
        pack.IsReadOnly = false;
        await using (var stream = new FileStream(pack.FullName, FileMode.Open, FileAccess.ReadWrite))
        {
            // The middle of the largest pack lies in big.bin's incompressible chunks.
            stream.Position = stream.Length / 2;
            var b = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b ^ 0x55));
        }

        var (code, output, error) = await CliHarness.RunAsync(env, "drill", "--scratch", root.Combine("scratch"));

        code.ShouldBe(1, output + error);
        error.ShouldContain("big.bin");
        output.ShouldContain("drill FAILED");
    }

    [Fact]
    public async Task A_table_whose_rows_changed_after_the_digest_was_recorded_fails_the_drill_by_name()
    {
        using var root = new TempDirectory("cellar-drill-rows");
        var (install, env) = await NewInstallationAsync(root, "drillrows");
        (await CliHarness.RunAsync(env, "backup")).ExitCode.ShouldBe(0);
        var ct = TestContext.Current.CancellationToken;
        await using var repository = await ResticRepository.OpenAsync(new LocalBackend(env["CELLAR_REPOSITORY"]), env["CELLAR_PASSWORD"], ct);
        var snapshot = (await repository.ListSnapshotsAsync(ct)).Last();
        var drill = new InstallationDrill(repository, snapshot, snapshot.Id, new DrillOptions
        {
            Scratch = root.Combine("scratch"),
            // The same row count, different content: only the digest can tell.
            AfterLoad = async (dsn, token) =>
            {
                await using var connection = new MySqlConnector.MySqlConnection(((Cellar.Databases.MySql.MySqlDsn)dsn).ToConnectionString());
                await connection.OpenAsync(token);
                await using var command = new MySqlConnector.MySqlCommand("UPDATE idm_user_attributes SET value = 'tampered' WHERE name = 'first'", connection);
                (await command.ExecuteNonQueryAsync(token)).ShouldBe(1);
            },
        });

        var report = await drill.RunAsync(ct);

        report.Passed.ShouldBeFalse();
        report.Failures.ShouldContain(f => f.StartsWith("table idm_user_attributes: its rows differ", StringComparison.Ordinal));
        report.Failures.Count.ShouldBe(1, string.Join("\n", report.Failures));
    }

    private async Task<(CellsInstallation Install, Dictionary<string, string> Env)> NewInstallationAsync(TempDirectory root, string name, CellsShape shape = CellsShape.V4)
    {
        var db = await server.CreateDatabaseAsync(name);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), shape, server.RootDsn(db) + "?parseTime=true", realBoltStores: true);
        await SeedAsync(db);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        await File.WriteAllTextAsync(PasswordFile(root), "pw");
        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        return (install, env);
    }

    private static string PasswordFile(TempDirectory root) => root.Combine("password");

    /// <summary>Index tables as Cells creates them: the external datasource (flat) indexes its one object under a folder.</summary>
    private async Task SeedAsync(string db)
    {
        const string Tree = " (uuid VARCHAR(128) NOT NULL PRIMARY KEY, level SMALLINT NOT NULL, hash VARCHAR(40) NOT NULL, name VARCHAR(255) NOT NULL, leaf TINYINT(1) NOT NULL DEFAULT 0, " +
                            "mtime INT NOT NULL, etag VARCHAR(255) NOT NULL DEFAULT '', size BIGINT NOT NULL DEFAULT 0, mode VARCHAR(10) NOT NULL DEFAULT '', " +
                            "mpath1 VARCHAR(255) NOT NULL, mpath2 VARCHAR(255) NOT NULL, mpath3 VARCHAR(255) NOT NULL, mpath4 VARCHAR(255) NOT NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
        await server.ExecuteAsync(
            "CREATE TABLE data_index_external_idx_tree" + Tree + ";" +
            "CREATE TABLE data_index_pydiods1_idx_tree" + Tree + ";" +
            "CREATE TABLE idm_user_attributes (uuid VARCHAR(128), name VARCHAR(255), value LONGTEXT, PRIMARY KEY (uuid, name)) ENGINE=InnoDB;" +
            "INSERT INTO idm_user_attributes VALUES ('u1','first','one'),('u1','second','two');" +
            "INSERT INTO data_index_external_idx_tree VALUES " +
            "('ROOT',1,SHA1('1'),'',0,1732612345,'',17,'','1','','','')," +
            "('d1',2,SHA1('1.1'),'docs',0,1732612345,'',17,'','1.1','','','')," +
            $"('{FlatObject}',3,SHA1('1.1.1'),'report.pdf',1,1732612345,'e1',17,'0644','1.1.1','','','');" +
            "INSERT INTO data_index_pydiods1_idx_tree VALUES ('ROOT',1,SHA1('1'),'',0,1732612345,'',0,'','1','','','');",
            db);
    }

    private static async Task CopyAsync(string from, string to)
    {
        var (code, _, error) = await ExternalTool.RunAsync(ExternalTool.Require("cp"), ["-a", from, to]);
        code.ShouldBe(0, error);
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
