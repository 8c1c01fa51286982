using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// <c>cellar drill</c> of a Cells v5 installation on PostgreSQL: a private PostgreSQL server is
/// started for the drill and gone afterwards, the tables come back with the digests recorded at
/// backup time (dump → load → dump), and the consistency proof reads the datasource index from
/// PostgreSQL. Index rows follow Cells v5: mpath1–4 and <c>leaf</c> 1 for a file, 2 for a folder
/// (pydio/cells common/storage/sql/index/gorm-impl.go, Migrate), the table named
/// <c>data_index_NAME_idx_tree</c> behind the DSN's <c>prefix</c> (common/storage/sql/gorm.go:
/// the prefix is GORM's TablePrefix; empty here).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DrillPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Seed = """
        CREATE TABLE data_index_external_idx_tree (uuid varchar(128) PRIMARY KEY, level smallint NOT NULL, hash varchar(40) NOT NULL, name varchar(255) NOT NULL,
            leaf smallint, mtime bigint NOT NULL, etag varchar(255), size bigint, mode varchar(10), mpath1 varchar(255) NOT NULL, mpath2 varchar(255) NOT NULL,
            mpath3 varchar(255) NOT NULL, mpath4 varchar(255) NOT NULL);
        CREATE TABLE data_index_pydiods1_idx_tree (LIKE data_index_external_idx_tree INCLUDING ALL);
        CREATE TABLE idm_user_attributes (uuid varchar(128), name varchar(255), value text, meta jsonb, seen timestamptz, raw bytea, PRIMARY KEY (uuid, name));
        INSERT INTO data_index_external_idx_tree VALUES
            ('ROOT', 1, md5('1'), '', 2, 1732612345, '', 17, '', '1', '', '', ''),
            ('d1', 2, md5('1.1'), E'tab\there', 2, 1732612345, '', 17, '', '1.1', '', '', ''),
            ('3f6c1a2e-0b8d-4c52-9c3e-6b1b1a8f2d11', 3, md5('1.1.1'), 'report.pdf', 1, 1732612345, 'e1', 17, '0644', '1.1.1', '', '', '');
        INSERT INTO data_index_pydiods1_idx_tree VALUES ('ROOT', 1, md5('1'), '', 2, 1732612345, '', 0, '', '1', '', '', '');
        INSERT INTO idm_user_attributes VALUES ('u1', 'first', E'multi\nline', '{"x": [1, 2.5]}', '2024-11-26 09:52:41.123456+00', '\x00ff'),
            ('u1', 'second', 'émile', NULL, NULL, NULL);
        """;

    [Fact]
    public async Task A_drill_of_a_v5_PostgreSQL_snapshot_passes_reports_its_restore_time_proves_the_index_and_leaves_no_server_and_the_live_installation_untouched()
    {
        using var root = new TempDirectory("cellar-drill-pg");
        var db = await postgres.CreateDatabaseAsync("drillpg");
        await postgres.PsqlAsync(db, Seed);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V5Fresh, postgres.SocketDsn(db), realBoltStores: true);
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        (await CliHarness.RunAsync(env, "init")).ExitCode.ShouldBe(0);
        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--verify-consistency");
        code.ShouldBe(0, output + error);
        var before = root.Combine("before");
        var (cp, _, cpError) = await ExternalTool.RunAsync(ExternalTool.Require("cp"), ["-a", root.Combine("site"), before]);
        cp.ShouldBe(0, cpError);
        var databaseBefore = await postgres.SignatureAsync(db);
        var scratch = root.Combine("scratch");
        // As root the private server runs as the postgres user, which must be able to reach the scratch folder (docs/drill.md).
        File.SetUnixFileMode(root.Path, File.GetUnixFileMode(root.Path) | UnixFileMode.OtherExecute);

        (code, output, error) = await CliHarness.RunAsync(env, "drill", "latest", "--scratch", scratch);

        code.ShouldBe(0, output + error);
        output.ShouldContain("drill PASSED");
        output.ShouldContain("time to recover:");
        output.ShouldContain("3 tables (rows and digest)");
        output.ShouldContain("consistency: datasource external (flat): 1 indexed files, 1 objects, 0 problem(s)");
        output.ShouldNotContain("did not run");
        TreeComparer.AssertEqual(before, root.Combine("site"), new TreeComparisonOptions { RootMetadata = true });
        (await postgres.SignatureAsync(db)).ShouldBe(databaseBefore);
        Directory.Exists(Path.Combine(scratch, "database")).ShouldBeFalse("the scratch server's folder is removed");
        Directory.Exists(Path.Combine(scratch, "installation")).ShouldBeFalse();
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)))
        {
            string cmdline;
            try
            {
                cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            cmdline.ShouldNotContain(scratch, customMessage: "a process of the drill's PostgreSQL is still running");
        }
    }
}
