using Cellar.Cells.Discovery;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cells.Tests.Planning;

public sealed class InstallationPlannerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static InstallationPlan Plan(Dictionary<string, string> env, string cwd, PlanOptions? options = null) =>
        InstallationPlanner.Plan(DiscoveryInput.FromProcess(getVariable: env.GetValueOrDefault, currentDirectory: cwd), options);

    [Fact]
    public async Task V4_found_through_cells_working_dir_plans_the_working_dir_and_the_external_datasource()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "pydio:secret@tcp(127.0.0.1:3306)/cells?parseTime=true", cancellationToken: Token);

        var plan = Plan(new() { ["CELLS_WORKING_DIR"] = install.WorkingDir, ["HOME"] = "/nonexistent" }, dir.Path);

        plan.Paths.Select(p => p.Path).ShouldBe([install.WorkingDir, install.ExternalDatasource, Path.Combine(install.ExternalFolder, ".minio.sys")], ignoreOrder: true);
        plan.Missing.ShouldBeEmpty();
        plan.LeftOut.ShouldBeEmpty();
        plan.Database.ShouldBeOfType<Cellar.Databases.MySql.MySqlDsn>().Host.ShouldBe("127.0.0.1");
        plan.Database.ToString().ShouldNotContain("secret");
        plan.CellsVersion.ShouldBe("4.4.15");
        plan.Datasources.Count(d => d.IsLocal).ShouldBe(6);
        plan.BleveFolders.ShouldBe([Path.Combine(install.WorkingDir, "services", "pydio.grpc.search", "searchengine.bleve")]);
        plan.Paths.Single(p => p.Path == install.ExternalDatasource).Origin.ShouldBe("pydio.json services.pydio.grpc.data.sync.external.StorageConfiguration.folder");
        plan.Paths.Single(p => p.Path == install.WorkingDir).Origin.ShouldBe("$CELLS_WORKING_DIR");
    }

    [Fact]
    public async Task V5_found_through_xdg_config_home_has_a_unix_socket_dsn_and_real_bolt_stores_found_under_templates()
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

        var plan = Plan(new() { ["CELLS_WORKING_DIR"] = install.WorkingDir, ["CELLS_LOG_DIR"] = logs }, dir.Path);

        plan.Paths.ShouldContain(new PlannedPath(logs, "log dir", true) { Origin = "$CELLS_LOG_DIR" });
    }

    // common/runtime/runtime.go VaultURL and the config revisions store: the files Cells really uses outside the WD.
    [Fact]
    public async Task A_custom_vault_url_plans_pydio_vault_json_in_its_folder_and_config_history_beside_an_outside_config()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "p:q@tcp(h:1)/cells", cancellationToken: Token);
        var secure = Path.Combine(dir.Path, "secure");
        var etc = Path.Combine(dir.Path, "etc");
        Directory.CreateDirectory(secure);
        Directory.CreateDirectory(etc);
        await File.WriteAllTextAsync(Path.Combine(secure, "pydio-vault.json"), "{}", Token);
        await File.WriteAllTextAsync(Path.Combine(secure, "custom.json"), "not what Cells reads", Token);
        File.Move(install.ConfigFile, Path.Combine(etc, "pydio.json"));
        await File.WriteAllTextAsync(Path.Combine(etc, "configs-versions.db"), "history", Token);

        var plan = Plan(new()
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLS_VAULT"] = "file://" + Path.Combine(secure, "custom.json"),
            ["CELLS_CONFIG"] = "file://" + Path.Combine(etc, "pydio.json"),
        }, dir.Path);

        plan.Paths.Select(p => p.Path).ShouldContain(Path.Combine(secure, "pydio-vault.json"));
        plan.Paths.Select(p => p.Path).ShouldNotContain(Path.Combine(secure, "custom.json"));
        plan.Paths.Select(p => p.Path).ShouldContain(Path.Combine(etc, "configs-versions.db"));
    }

    [Fact]
    public async Task An_objects_service_folder_outside_the_working_dir_brings_its_buckets_and_minio_sys()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "p:q@tcp(h:1)/cells", cancellationToken: Token,
            options: new CellsInstallationOptions { ObjectsOutsideWorkingDir = true });

        var plan = Plan(new() { ["CELLS_WORKING_DIR"] = install.WorkingDir }, dir.Path);

        foreach (var bucket in new[] { "pydiods1", "personal", "cellsdata", "thumbs", "versions", "binaries", ".minio.sys" })
        {
            plan.Paths.Select(p => p.Path).ShouldContain(Path.Combine(install.ObjectsFolder, bucket));
        }

        plan.Paths.Single(p => p.Path == Path.Combine(install.ObjectsFolder, "binaries")).Origin.ShouldContain("pydio.docstore-binaries");
    }

    [Fact]
    public async Task A_missing_datasource_folder_is_named_with_the_way_forward_and_can_be_excluded_on_purpose()
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "p:q@tcp(h:1)/cells", cancellationToken: Token);
        Directory.Delete(install.ExternalDatasource, recursive: true);
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir };

        var plan = Plan(env, dir.Path);
        plan.Missing.ShouldHaveSingleItem().Datasource.ShouldBe("external");
        var sentence = plan.DescribeMissing()!;
        sentence.ShouldContain(install.ExternalDatasource);
        sentence.ShouldContain("--exclude-datasource external");
        sentence.ShouldContain("--path-map");

        var excluded = Plan(env, dir.Path, new PlanOptions { ExcludedDatasources = ["external"] });
        excluded.Missing.ShouldBeEmpty();
        excluded.LeftOut.ShouldHaveSingleItem().Kind.ShouldBe(LeftOutPart.Excluded);
    }

    [Fact]
    public async Task A_container_config_proposes_its_path_map_and_auto_applies_it()
    {
        using var dir = new TempDirectory();
        var container = "/var/cells-container-" + Guid.NewGuid().ToString("N")[..8];
        var install = await CellsInstallation.CreateAsync(dir.Path, CellsShape.V4, "p:q@tcp(h:1)/cells", cancellationToken: Token,
            options: new CellsInstallationOptions { ConfigWorkingDir = container });
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir };

        var plan = Plan(env, dir.Path);
        plan.ImpliedWorkingDir.ShouldBe(container);
        plan.ProposedPathMap.ShouldBe(new PathMapping(container, install.WorkingDir));
        plan.Missing.ShouldContain(m => m.ConfigPath == container + "/data/pydiods1");
        plan.DescribeMissing()!.ShouldContain($"--path-map {container}={install.WorkingDir}");

        var auto = Plan(env, dir.Path, new PlanOptions { AutoPathMap = true });
        auto.Missing.ShouldBeEmpty();
        auto.PathMap.ToHost(container + "/data/pydiods1").ShouldBe(Path.Combine(install.WorkingDir, "data", "pydiods1"));
        auto.BoltFiles.ShouldContain(Path.Combine(install.WorkingDir, "services", "pydio.grpc.activity", "activities.db"));

        var given = Plan(env, dir.Path, new PlanOptions { PathMappings = [new PathMapping(container, install.WorkingDir)] });
        given.Missing.ShouldBeEmpty();
    }

    // The real v4.0 mock (common/config/mock/mock.go) placed in a temp working dir: every path it names is missing here until mapped.
    [Fact]
    public void The_real_v4_mock_names_paths_of_its_author_which_are_reported_missing_until_mapped()
    {
        var mock = SharedFixtures.Require("cells", "real", "01-v4.0.0-dev-mock.json");
        using var dir = new TempDirectory();
        var wd = Path.Combine(dir.Path, "cells");
        Directory.CreateDirectory(wd);
        File.Copy(mock, Path.Combine(wd, "pydio.json"));
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = wd };

        var plan = Plan(env, dir.Path);
        plan.Missing.Select(m => m.Path).ShouldContain("/home/user/.config/pydio/cells/data/pydiods1");
        plan.Missing.Select(m => m.Path).ShouldContain("/home/user/.config/pydio/cells/services/pydio.grpc.chat/chat.db");
        plan.ProposedPathMap.ShouldBe(new PathMapping("/home/user/.config/pydio/cells", wd));

        foreach (var ds in new[] { "pydiods1", "personal", "cellsdata", "thumbs", "versions" })
        {
            Directory.CreateDirectory(Path.Combine(wd, "data", ds));
        }

        foreach (var store in new[] { "activity/activities.db", "chat/chat.db", "docstore/docstore.db", "versions/versions.db" })
        {
            var file = Path.Combine(wd, "services", "pydio.grpc." + store);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, "");
        }

        var mapped = Plan(env, dir.Path, new PlanOptions { AutoPathMap = true });
        mapped.Missing.ShouldBeEmpty();
        mapped.Paths.ShouldHaveSingleItem().Path.ShouldBe(wd);
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
