using Cellar.Cells.Discovery;

namespace Cellar.Cells.Tests.Discovery;

public sealed class InstallationDiscoveryTests
{
    private static CellsLocations Discover(CellsOs os, Dictionary<string, string> env, FakeFileSystem? files = null, string cwd = "/srv", string? flag = null) =>
        InstallationDiscovery.Discover(new DiscoveryInput(os, name => env.GetValueOrDefault(name), files ?? new FakeFileSystem(os), cwd, flag));

    [Fact]
    public void Linux_default_is_under_xdg_config_home()
    {
        var l = Discover(CellsOs.Linux, new() { ["HOME"] = "/home/pydio", ["XDG_CONFIG_HOME"] = "/etc/xdg-pydio" });
        l.WorkingDir.ShouldBe("/etc/xdg-pydio/pydio/cells");
        l.ConfigFile.ShouldBe("/etc/xdg-pydio/pydio/cells/pydio.json");
        l.Sources["working_dir"].ShouldBe("default");
    }

    [Fact]
    public void Linux_default_without_xdg_is_home_config()
    {
        var l = Discover(CellsOs.Linux, new() { ["HOME"] = "/home/pydio" });
        l.WorkingDir.ShouldBe("/home/pydio/.config/pydio/cells");
        l.DataDir.ShouldBe("/home/pydio/.config/pydio/cells/data");
        l.LogDir.ShouldBe("/home/pydio/.config/pydio/cells/logs");
        l.ServicesDir.ShouldBe("/home/pydio/.config/pydio/cells/services");
        l.VaultFile.ShouldBe("/home/pydio/.config/pydio/cells/pydio-vault.json");
        l.KeyringFile.ShouldBe("/home/pydio/.config/pydio/cells/cells-vault-key");
        l.CertsStore.ShouldBe("/home/pydio/.config/pydio/cells/certs");
    }

    [Fact]
    public void FreeBsd_follows_the_linux_convention()
    {
        Discover(CellsOs.FreeBsd, new() { ["HOME"] = "/usr/home/p" }).WorkingDir.ShouldBe("/usr/home/p/.config/pydio/cells");
    }

    [Fact]
    public void MacOs_default_is_application_support()
    {
        var l = Discover(CellsOs.MacOs, new() { ["HOME"] = "/Users/ann", ["XDG_CONFIG_HOME"] = "/ignored" });
        l.WorkingDir.ShouldBe("/Users/ann/Library/Application Support/Pydio/cells");
        l.ConfigFile.ShouldBe("/Users/ann/Library/Application Support/Pydio/cells/pydio.json");
    }

    [Fact]
    public void Windows_default_is_appdata_with_backslashes()
    {
        var l = Discover(CellsOs.Windows, new() { ["APPDATA"] = @"C:\Users\ann\AppData\Roaming" }, cwd: @"C:\work");
        l.WorkingDir.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells");
        l.ConfigFile.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells\pydio.json");
        l.KeyringFile.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells\cells-vault-key");
        l.DataDir.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells\data");
    }

    [Fact]
    public void Windows_store_urls_become_windows_paths()
    {
        var l = Discover(CellsOs.Windows, new() { ["APPDATA"] = @"C:\A", ["CELLS_KEYRING"] = "file:///D:/keys/cells-vault-key?keyring=true" }, cwd: @"C:\work");
        l.KeyringFile.ShouldBe(@"D:\keys\cells-vault-key");
    }

    [Fact]
    public void Working_dir_variable_replaces_the_default()
    {
        var l = Discover(CellsOs.Linux, new() { ["HOME"] = "/root", ["CELLS_WORKING_DIR"] = "/var/cells" });
        l.WorkingDir.ShouldBe("/var/cells");
        l.ConfigFile.ShouldBe("/var/cells/pydio.json");
        l.Sources["working_dir"].ShouldBe("$CELLS_WORKING_DIR");
    }

    [Fact]
    public void The_cells_dir_flag_beats_the_environment()
    {
        Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, flag: "/mnt/old-cells").WorkingDir.ShouldBe("/mnt/old-cells");
    }

    [Fact]
    public void Split_dirs_and_store_urls_come_from_their_variables()
    {
        var l = Discover(CellsOs.Linux, new()
        {
            ["CELLS_WORKING_DIR"] = "/var/cells",
            ["CELLS_DATA_DIR"] = "/data/cells",
            ["CELLS_LOG_DIR"] = "/var/log/cells",
            ["CELLS_SERVICES_DIR"] = "/fast/services",
            ["CELLS_CONFIG"] = "file:///etc/cells/pydio.json",
            ["CELLS_KEYRING"] = "file:///etc/cells/keyring?keyring=true",
            ["CELLS_CERTS_STORE"] = "file:///etc/cells/certs",
        });
        l.DataDir.ShouldBe("/data/cells");
        l.LogDir.ShouldBe("/var/log/cells");
        l.ServicesDir.ShouldBe("/fast/services");
        l.ConfigFile.ShouldBe("/etc/cells/pydio.json");
        l.VaultFile.ShouldBe("/etc/cells/pydio-vault.json");
        l.KeyringFile.ShouldBe("/etc/cells/keyring");
        l.CertsStore.ShouldBe("/etc/cells/certs");
    }

    [Fact]
    public void An_explicit_vault_url_is_used()
    {
        Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_VAULT"] = "file:///secure/vault.json" }).VaultFile.ShouldBe("/secure/vault.json");
    }

    [Fact]
    public void Legacy_pydio_names_are_read_when_cells_names_are_absent()
    {
        var l = Discover(CellsOs.Linux, new() { ["PYDIO_WORKING_DIR"] = "/opt/pydio", ["PYDIO_DATA_DIR"] = "/old-data", ["CELLS_DATA_DIR"] = "/new-data" });
        l.WorkingDir.ShouldBe("/opt/pydio");
        l.DataDir.ShouldBe("/new-data");
    }

    [Fact]
    public void A_remote_config_is_warned_about_and_has_no_file()
    {
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_CONFIG"] = "etcd://user:secret@etcd:2379/cells" });
        l.ConfigFile.ShouldBeNull();
        l.Warnings.ShouldHaveSingleItem().ShouldContain("etcd://***@etcd:2379/cells");
        l.Warnings[0].ShouldNotContain("secret");
    }

    [Fact]
    public void A_v5_flags_file_in_the_working_dir_sets_flags()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/var/cells/flags.yaml", "# flags\ndata_dir: /big/data\nlog-dir: \"/var/log/cells\"\n");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs);
        l.FlagsFile.ShouldBe("/var/cells/flags.yaml");
        l.DataDir.ShouldBe("/big/data");
        l.LogDir.ShouldBe("/var/log/cells");
        l.Sources["data_dir"].ShouldBe("flags file /var/cells/flags.yaml");
    }

    [Fact]
    public void A_v4_cells_local_file_in_the_current_directory_can_set_the_working_dir()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/srv/cells_local.env", "CELLS_WORKING_DIR=/var/lib/cells\nCELLS_SERVICES_DIR=/ssd/services\n");
        var l = Discover(CellsOs.Linux, new() { ["HOME"] = "/root" }, fs, cwd: "/srv");
        l.WorkingDir.ShouldBe("/var/lib/cells");
        l.ServicesDir.ShouldBe("/ssd/services");
        l.DataDir.ShouldBe("/var/lib/cells/data");
    }

    [Fact]
    public void A_json_flags_file_named_by_cells_flags_file_is_read_and_env_beats_it()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/etc/cells-flags.json", "{\"data_dir\": \"/from-flags\", \"log_dir\": \"/logs-from-flags\"}");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_FLAGS_FILE"] = "/etc/cells-flags.json", ["CELLS_LOG_DIR"] = "/env-logs" }, fs);
        l.DataDir.ShouldBe("/from-flags");
        l.LogDir.ShouldBe("/env-logs");
    }

    [Fact]
    public void A_missing_flags_file_named_by_the_environment_is_an_error_naming_it()
    {
        var ex = Should.Throw<CellsConfigException>(() => Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_FLAGS_FILE"] = "/nope.yaml" }));
        ex.FilePath.ShouldBe("/nope.yaml");
    }

    [Fact]
    public void Malformed_json_flags_file_is_an_error_naming_it()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/var/cells/flags.json", "{not json");
        Should.Throw<CellsConfigException>(() => Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs)).Message.ShouldStartWith("/var/cells/flags.json:");
    }

    [Fact]
    public void Without_home_the_default_cannot_be_found_and_says_what_to_do()
    {
        Should.Throw<CellsConfigException>(() => Discover(CellsOs.Linux, new())).Message.ShouldContain("--cells-dir");
    }
}
