using Cellar.Cells.Discovery;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cells.Tests.Planning;

public sealed class InstallationPlannerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task V4_found_through_cells_working_dir_plans_the_working_dir_and_the_external_datasource()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "pydio:secret@tcp(127.0.0.1:3306)/cells?parseTime=true", cancellationToken: Token);
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir, ["HOME"] = "/nonexistent" };

        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(getVariable: env.GetValueOrDefault, currentDirectory: dir.Path));

        plan.Paths.Select(p => p.Path).ShouldBe([install.WorkingDir, install.ExternalDatasource, Path.Combine(install.ExternalFolder, ".minio.sys")], ignoreOrder: true);
        plan.Database.ShouldBeOfType<Cellar.Databases.MySql.MySqlDsn>().Host.ShouldBe("127.0.0.1");
        plan.Database.ToString().ShouldNotContain("secret");
        plan.CellsVersion.ShouldBe("4.4.15");
        plan.Datasources.Count(d => d.IsLocal).ShouldBe(4);
        plan.Warnings.ShouldContain(w => w.Contains("archive"));
        plan.BleveFolders.ShouldBe([Path.Combine(install.WorkingDir, "services", "pydio.grpc.search", "searchengine.bleve")]);
    }

    [Fact]
    public async Task V5_found_through_xdg_config_home_has_a_unix_socket_dsn_and_real_bolt_stores()
    {
        using var dir = new TempDirectory();
        var xdg = Path.Combine(dir.Path, "xdg");
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V5, "cells:pw@unix(/run/mysqld/mysqld.sock)/cells?parseTime=true",
            realBoltStores: true, workingDir: Path.Combine(xdg, "pydio", "cells"), cancellationToken: Token);
        var env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = "/nonexistent" };

        var plan = InstallationPlanner.Plan(new DiscoveryInput(CellsOs.Linux, env.GetValueOrDefault, LocalFileSystemView.Instance, dir.Path));

        plan.Locations.WorkingDir.ShouldBe(install.WorkingDir);
        plan.Database.ShouldBeOfType<Cellar.Databases.MySql.MySqlDsn>().Socket.ShouldBe("/run/mysqld/mysqld.sock");
        plan.Database.Database.ShouldBe("cells");
        plan.BoltFiles.ShouldBe(install.BoltFiles.Order(StringComparer.Ordinal).ToList());
        plan.Paths.ShouldContain(p => p.Path == install.ExternalDatasource);
    }

    [Fact]
    public async Task Split_dirs_outside_the_working_dir_are_planned_separately()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "p:q@tcp(h:1)/cells", cancellationToken: Token);
        var logs = Path.Combine(dir.Path, "var-log-cells");
        Directory.CreateDirectory(logs);
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir, ["CELLS_LOG_DIR"] = logs };

        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(getVariable: env.GetValueOrDefault, currentDirectory: dir.Path));

        plan.Paths.ShouldContain(new PlannedPath(logs, "log dir", true));
    }

    [Fact]
    public void A_working_dir_without_pydio_json_is_an_error_saying_what_to_do()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = dir.Path };
        var ex = Should.Throw<CellsConfigException>(() => InstallationPlanner.Plan(DiscoveryInput.FromProcess(getVariable: env.GetValueOrDefault)));
        ex.Message.ShouldContain("pydio.json");
        ex.Message.ShouldContain("--cells-dir");
    }
}
