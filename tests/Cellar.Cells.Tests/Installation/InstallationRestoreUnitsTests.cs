using Cellar.Cells.Installation;

namespace Cellar.Cells.Tests.Installation;

/// <summary>
/// The installation restore's placing step, driven directly: which snapshot paths are restored
/// where, and what each restore leaves to another. The folders are those of a default Cells
/// install as its pydio.json writes them (fixtures/cells/real: the working dir
/// ~/.config/pydio/cells, datasources under its data/ folder).
/// </summary>
public sealed class InstallationRestoreUnitsTests
{
    private const string WorkingDir = "/home/pydio/.config/pydio/cells";
    private const string DataDir = WorkingDir + "/data";

    private static InstallationManifest Manifest(params string[] paths) => new()
    {
        Hostname = "cellhost",
        StartedAt = DateTimeOffset.UnixEpoch,
        Mode = "stopped",
        WorkingDir = WorkingDir,
        DataDir = DataDir,
        ConfigFile = WorkingDir + "/pydio.json",
        Paths = paths.Select(p => new ManifestPath(p, "test", IsDirectory: true)).ToList(),
        Dsn = "sqlite://" + WorkingDir + "/cells.db",
        DatabaseName = "cells",
        Datasources = [],
        Stores = [],
    };

    [Fact]
    public void Without_relocation_every_path_is_restored_where_it_was_with_nothing_left_out()
    {
        var units = InstallationRestore.Units(Manifest(WorkingDir, "/srv/cells-external"), new ConfigRelocation([]));

        units.Select(u => (u.SnapshotPath, u.Target)).ShouldBe([(WorkingDir, WorkingDir), ("/srv/cells-external", "/srv/cells-external")]);
        units.ShouldAllBe(u => u.Excludes.Count == 0);
    }

    [Fact]
    public void A_data_dir_moved_out_of_the_working_dir_becomes_its_own_unit_that_the_working_dir_restore_leaves_out()
    {
        var units = InstallationRestore.Units(Manifest(WorkingDir), new ConfigRelocation([(DataDir, "/mnt/big/cells-data")]));

        units.Count.ShouldBe(2);
        var working = units.Single(u => u.SnapshotPath == WorkingDir);
        working.Target.ShouldBe(WorkingDir);
        working.Excludes.ShouldBe(["/data"]);
        var data = units.Single(u => u.SnapshotPath == DataDir);
        data.Target.ShouldBe("/mnt/big/cells-data");
        data.Excludes.ShouldBeEmpty();
    }

    [Fact]
    public void A_left_out_folder_whose_name_holds_glob_characters_is_escaped_so_it_matches_only_itself()
    {
        var units = InstallationRestore.Units(Manifest(WorkingDir, DataDir + "/pydiods[1]*"), new ConfigRelocation([]));

        units.Single(u => u.SnapshotPath == WorkingDir).Excludes.ShouldBe(["/data/pydiods\\[1]\\*"]);
    }

    [Fact]
    public void Map_moves_a_path_under_the_longest_relocated_folder_holding_it_and_leaves_a_sibling_with_a_longer_name_alone()
    {
        var relocation = new ConfigRelocation([(WorkingDir, "/opt/cells"), (DataDir, "/mnt/data")]);

        InstallationRestore.Map(relocation, DataDir + "/pydiods1/file.txt").ShouldBe("/mnt/data/pydiods1/file.txt");
        InstallationRestore.Map(relocation, WorkingDir + "/pydio.json").ShouldBe("/opt/cells/pydio.json");
        InstallationRestore.Map(relocation, DataDir).ShouldBe("/mnt/data");
        InstallationRestore.Map(relocation, WorkingDir + "2/pydio.json").ShouldBe(WorkingDir + "2/pydio.json");
    }
}
