using System.Text.Json;
using Cellar.Testing;
using Cellar.Testing.Bolt;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

public sealed class CellsInspectCommandTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task V4_with_a_tcp_dsn_found_through_cells_working_dir_reports_the_database_without_its_password()
    {
        using var dir = new TempDirectory();
        var database = await server.CreateDatabaseAsync("cells");
        await server.CreateUserAsync("pydio", "Pa55-word!", $"ALL ON `{database}`.*");
        await server.ExecuteAsync("CREATE TABLE idm_user_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255)); CREATE TABLE idm_workspaces (uuid VARCHAR(128) PRIMARY KEY)", database);
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, server.TcpDsn("pydio", "Pa55-word!", database) + "?parseTime=true", cancellationToken: Token,
            options: new CellsInstallationOptions { NumericS3Datasource = true });
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir };

        var (code, output, error) = await CliHarness.RunAsync(env, "cells", "inspect");

        code.ShouldBe(0, error);
        output.ShouldContain($"Cells 4.4.15 at {install.WorkingDir} (found by $CELLS_WORKING_DIR)");
        output.ShouldContain(install.ExternalDatasource);
        output.ShouldContain("2 tables");
        output.ShouldContain("server ");
        // The S3 datasource is backed up from its bucket; this one (a closed loopback port) cannot be listed, which inspect says.
        output.ShouldContain($"archive: S3, {CellsInstallation.UnreachableS3Endpoint}/cells-archive: not listed (S3 datasource archive");
        output.ShouldContain("from pydio.json services.pydio.grpc.data.sync.external.StorageConfiguration.folder");
        output.ShouldContain("working_dir: $CELLS_WORKING_DIR");
        output.ShouldContain("Cells is not running.");
        output.ShouldNotContain("Pa55-word!");
        error.ShouldNotContain("Pa55-word!");
    }

    [Fact]
    public async Task V5_with_a_unix_socket_dsn_found_through_xdg_config_home_reports_json_and_a_running_store()
    {
        using var dir = new TempDirectory();
        var xdg = Path.Combine(dir.Path, "xdg");
        var database = await server.CreateDatabaseAsync("cells5");
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V5, server.RootDsn(database) + "?parseTime=true", realBoltStores: true,
            workingDir: Path.Combine(xdg, "pydio", "cells"), cancellationToken: Token, options: new CellsInstallationOptions { NumericS3Datasource = true });
        var env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = "/nonexistent" };

        using (await BoltWriter.StartAsync(install.BoltFiles[1], Token))
        {
            var (code, output, error) = await CliHarness.RunAsync(env, "cells", "inspect", "--json");

            code.ShouldBe(0, error);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            root.GetProperty("workingDir").GetString().ShouldBe(install.WorkingDir);
            root.GetProperty("cellsVersion").GetString().ShouldBe("5.0.0");
            root.GetProperty("database").GetProperty("contacted").GetBoolean().ShouldBeTrue();
            root.GetProperty("database").GetProperty("server").GetString()!.ShouldContain(server.Socket);
            var paths = root.GetProperty("paths").EnumerateArray().ToList();
            paths.ShouldContain(p => p.GetProperty("path").GetString() == install.ExternalDatasource && p.GetProperty("files").GetInt64() == 1);
            paths.Single(p => p.GetProperty("path").GetString() == install.WorkingDir).GetProperty("files").GetInt64().ShouldBeGreaterThan(10);
            root.GetProperty("datasources").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "archive").GetProperty("backedUp").GetBoolean().ShouldBeTrue();
            root.GetProperty("objectStorage").EnumerateArray().Single().GetProperty("error").GetString().ShouldNotBeNull();
            root.GetProperty("running").GetBoolean().ShouldBeTrue();
            root.GetProperty("stores").GetProperty("bolt").EnumerateArray()
                .Single(s => s.GetProperty("path").GetString() == install.BoltFiles[1]).GetProperty("lock").GetString().ShouldBe("held");
        }
    }

    [Fact]
    public async Task Every_path_is_listed_with_its_origin_and_a_container_config_shows_what_is_missing_and_the_proposed_map()
    {
        using var dir = new TempDirectory();
        var container = "/var/cells-inspect-" + Guid.NewGuid().ToString("N")[..8];
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, $"pydio:secret@unix({dir.Combine("no.sock")})/cells", cancellationToken: Token,
            options: new CellsInstallationOptions { ConfigWorkingDir = container });
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir };

        var (code, output, error) = await CliHarness.RunAsync(env, "cells", "inspect", "--no-db");
        code.ShouldBe(0, error);
        output.ShouldContain("NOT on this host");
        output.ShouldContain(container + "/data/pydiods1");
        output.ShouldContain($"--path-map {container}={install.WorkingDir}");

        (code, output, error) = await CliHarness.RunAsync(env, "cells", "inspect", "--no-db", "--json", "--path-map", "auto");
        code.ShouldBe(0, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("missing").GetArrayLength().ShouldBe(0);
        json.RootElement.GetProperty("pathMap")[0].GetProperty("configPath").GetString().ShouldBe(container);
        var paths = json.RootElement.GetProperty("paths").EnumerateArray().ToList();
        paths.Single(p => p.GetProperty("path").GetString() == install.WorkingDir).GetProperty("origin").GetString().ShouldBe("$CELLS_WORKING_DIR");
        paths.Single(p => p.GetProperty("path").GetString() == install.ExternalDatasource).GetProperty("origin").GetString()!.ShouldStartWith("pydio.json services.pydio.grpc.data.sync.external");
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_reported_not_fatal()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, $"pydio:secret@unix({dir.Combine("no.sock")})/cells", cancellationToken: Token);

        var (code, output, _) = await CliHarness.RunAsync(null, "cells", "inspect", "--cells-dir", install.WorkingDir);

        code.ShouldBe(0);
        output.ShouldContain("not contacted");
        output.ShouldNotContain("secret");
    }

    [Fact]
    public async Task A_missing_installation_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await CliHarness.RunAsync(null, "cells", "inspect", "--cells-dir", dir.Path);
        code.ShouldBe(1);
        error.ShouldContain("pydio.json");
    }
}
