using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cells.Tests.Configuration;

public sealed class ConfigRelocatorTests
{
    [Theory]
    [InlineData(CellsShape.V4)]
    [InlineData(CellsShape.V5)]
    public async Task Relocation_leaves_no_old_path_and_keeps_the_original(CellsShape shape)
    {
        using var dir = new TempDirectory();
        var install = await CellsInstallation.CreateAsync(dir.Path, shape, "pydio:pw@tcp(old-db:3306)/cells?parseTime=true", cancellationToken: TestContext.Current.CancellationToken);
        var original = await File.ReadAllTextAsync(install.ConfigFile, TestContext.Current.CancellationToken);
        var relocation = new ConfigRelocation(
            [(install.WorkingDir, "/srv/new-cells"), (install.ExternalFolder, "/mnt/new-ext")],
            "cells:newpw@unix(/run/mysqld/mysqld.sock)/cells?parseTime=true");

        var kept = await ConfigRelocator.RelocateFileAsync(install.ConfigFile, relocation, TestContext.Current.CancellationToken);

        (await File.ReadAllTextAsync(kept, TestContext.Current.CancellationToken)).ShouldBe(original);
        var moved = await File.ReadAllTextAsync(install.ConfigFile, TestContext.Current.CancellationToken);
        moved.ShouldNotContain(dir.Path);
        moved.ShouldNotContain("old-db");
        var config = PydioConfigReader.Read(install.ConfigFile, moved);
        CellsDsn.Parse(config.SqlDsn).Address.ShouldBe("/run/mysqld/mysqld.sock");
        config.Datasources.Single(d => d.Name == "external").Folder.ShouldBe("/mnt/new-ext/external");
        config.Datasources.Single(d => d.Name == "pydiods1").Folder.ShouldBe("/srv/new-cells/data/pydiods1");
        config.Stores.ShouldAllBe(s => s.Path.StartsWith("/srv/new-cells/services/"));
        config.Version.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Only_whole_paths_move_and_a_data_dir_mapping_beats_the_working_dir()
    {
        const string json = """
            {"version":"4","databases":{"x":{"dsn":"a@tcp(h)/d"}},"defaults":{"database":"x"},
             "other":["/var/cells", "/var/cells2/keep", "/var/cells/data/pydiods1", "file:///var/cells/certs?x=1", "/opt/var/cells"]}
            """;
        var result = ConfigRelocator.Relocate("/var/cells/pydio.json", json, new ConfigRelocation([("/var/cells", "/srv/c"), ("/var/cells/data", "/data")]));
        result.ShouldContain("\"/srv/c\"");
        result.ShouldContain("\"/var/cells2/keep\"");
        result.ShouldContain("\"/data/pydiods1\"");
        result.ShouldContain("\"file:///srv/c/certs?x=1\"");
        result.ShouldContain("\"/opt/var/cells\"");
    }

    [Fact]
    public void A_move_with_a_new_data_dir_sends_datasources_there_and_the_rest_to_the_new_working_dir()
    {
        const string json = """
            {"version":"4","databases":{"x":{"dsn":"a@tcp(h)/d"},"b":{"driver":"boltdb","dsn":"/var/cells/services/jobs.db"}},"defaults":{"database":"x"},
             "services":{"pydio.grpc.data.sync.ds":{"StorageConfiguration":{"folder":"/var/cells/data/ds"}}}}
            """;
        var old = Cellar.Cells.Discovery.InstallationDiscovery.Discover(new Cellar.Cells.Discovery.DiscoveryInput(
            Cellar.Cells.Discovery.CellsOs.Linux, n => n == "CELLS_WORKING_DIR" ? "/var/cells" : null, new Discovery.FakeFileSystem(Cellar.Cells.Discovery.CellsOs.Linux), "/"));

        var moved = PydioConfigReader.Read("p", ConfigRelocator.Relocate("p", json, ConfigRelocation.ForMove(old, "/srv/cells", "/big/data")));

        moved.Datasources.Single().Folder.ShouldBe("/big/data/ds");
        moved.Stores.Single().Path.ShouldBe("/srv/cells/services/jobs.db");
    }
}

/// <summary>pydio/cells issue 241: on a new host Cells ignores datasources whose PeerAddress matches no current peer.</summary>
public sealed class PeerAddressTests
{
    [Fact]
    public void A_new_host_relocation_removes_every_PeerAddress_of_the_real_v21_config()
    {
        var path = Cellar.Testing.SharedFixtures.Require("cells", "real", "05-v2.1-string-default-db-no-version.json");
        var text = File.ReadAllText(path);
        text.ShouldContain("PeerAddress");

        var moved = ConfigRelocator.Relocate(path, text, new ConfigRelocation([]) { ClearPeerAddresses = true });

        moved.ShouldNotContain("PeerAddress");
        var config = PydioConfigReader.Read(path, moved);
        config.Datasources.ShouldAllBe(d => d.PeerAddress == null);
        config.Datasources.Select(d => d.Name).ShouldBe(["pydiods1", "personal", "cellsdata"], ignoreOrder: true);
    }

    [Fact]
    public void Without_a_move_PeerAddress_is_kept()
    {
        const string json = """{"version":"4","databases":{"x":{"dsn":"a@tcp(h)/d"}},"defaults":{"database":"x"},"services":{"pydio.grpc.data.sync.ds":{"PeerAddress":"10.0.0.5","StorageConfiguration":{"folder":"/d"}}}}""";
        ConfigRelocator.Relocate("p", json, new ConfigRelocation([])).ShouldContain("10.0.0.5");
    }
}

public sealed class PathMapTests
{
    [Fact]
    public void The_longest_mapping_wins_and_only_whole_paths_match_in_both_directions()
    {
        var map = new PathMap([new PathMapping("/var/cells", "/srv/cells"), new PathMapping("/var/cells/data", "/srv/cells-data")]);
        map.ToHost("/var/cells/pydio.json").ShouldBe("/srv/cells/pydio.json");
        map.ToHost("/var/cells/data/pydiods1").ShouldBe("/srv/cells-data/pydiods1");
        map.ToHost("/var/cells2/x").ShouldBe("/var/cells2/x");
        map.ToHost("/var/cells").ShouldBe("/srv/cells");
        map.ToConfig("/srv/cells-data/personal").ShouldBe("/var/cells/data/personal");
        map.IsMapped("/elsewhere").ShouldBeFalse();
    }

    [Theory]
    [InlineData("/var/cells")]
    [InlineData("=/srv")]
    [InlineData("relative=/srv")]
    public void A_malformed_mapping_says_the_expected_form(string spec)
    {
        Should.Throw<ArgumentException>(() => PathMap.ParseOne(spec)).Message.ShouldContain("--path-map");
    }
}
