using Cellar.Cells.Discovery;

namespace Cellar.Cells.Tests.Discovery;

/// <summary>
/// Discovery rules, each pinned to the Cells source it mirrors (github.com/pydio/cells, v4 and v5):
/// <c>common/runtime/dirs.go</c>, <c>common/runtime/keys.go</c>, <c>common/runtime/runtime.go</c>,
/// <c>cmd/root.go</c> (<c>initEnvPrefixes</c>, <c>initViperRuntime</c>).
/// </summary>
public sealed class InstallationDiscoveryTests
{
    private static CellsLocations Discover(CellsOs os, Dictionary<string, string> env, FakeFileSystem? files = null, string cwd = "/srv", string? flag = null) =>
        InstallationDiscovery.Discover(new DiscoveryInput(os, name => env.GetValueOrDefault(name), files ?? new FakeFileSystem(os), cwd, flag));

    // common/runtime/dirs.go: configdir.New("pydio", "cells") on Linux/FreeBSD (XDG_CONFIG_HOME, else ~/.config).
    [Fact]
    public void Dirs_go_linux_default_is_under_xdg_config_home()
    {
        var l = Discover(CellsOs.Linux, new() { ["HOME"] = "/home/pydio", ["XDG_CONFIG_HOME"] = "/etc/xdg-pydio" });
        l.WorkingDir.ShouldBe("/etc/xdg-pydio/pydio/cells");
        l.ConfigFile.ShouldBe("/etc/xdg-pydio/pydio/cells/pydio.json");
        l.Sources["working_dir"].ShouldBe("default");
    }

    // common/runtime/dirs.go (data, logs, services under the WD) and keys.go (pydio.json, pydio-vault.json, cells-vault-key, certs).
    [Fact]
    public void Dirs_go_and_keys_go_defaults_without_xdg_are_under_home_config()
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
    public void Dirs_go_freebsd_follows_the_linux_convention()
    {
        Discover(CellsOs.FreeBsd, new() { ["HOME"] = "/usr/home/p" }).WorkingDir.ShouldBe("/usr/home/p/.config/pydio/cells");
    }

    [Fact]
    public void Dirs_go_macos_default_is_application_support_with_vendor_Pydio()
    {
        var l = Discover(CellsOs.MacOs, new() { ["HOME"] = "/Users/ann", ["XDG_CONFIG_HOME"] = "/ignored" });
        l.WorkingDir.ShouldBe("/Users/ann/Library/Application Support/Pydio/cells");
        l.ConfigFile.ShouldBe("/Users/ann/Library/Application Support/Pydio/cells/pydio.json");
    }

    [Fact]
    public void Dirs_go_windows_default_is_appdata_with_backslashes()
    {
        var l = Discover(CellsOs.Windows, new() { ["APPDATA"] = @"C:\Users\ann\AppData\Roaming" }, cwd: @"C:\work");
        l.WorkingDir.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells");
        l.KeyringFile.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells\cells-vault-key");
        l.DataDir.ShouldBe(@"C:\Users\ann\AppData\Roaming\Pydio\cells\data");
    }

    [Fact]
    public void Keys_go_store_urls_become_windows_paths()
    {
        var l = Discover(CellsOs.Windows, new() { ["APPDATA"] = @"C:\A", ["CELLS_KEYRING"] = "file:///D:/keys/cells-vault-key?keyring=true" }, cwd: @"C:\work");
        l.KeyringFile.ShouldBe(@"D:\keys\cells-vault-key");
    }

    [Fact]
    public void Dirs_go_working_dir_variable_replaces_the_default()
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
    public void Dirs_go_and_keys_go_split_dirs_and_store_urls_come_from_their_variables()
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

    // common/runtime/runtime.go, VaultURL: a file vault's base name is replaced with pydio-vault.json.
    [Fact]
    public void Runtime_go_a_file_vault_is_always_pydio_vault_json_in_the_folder_of_its_url()
    {
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_VAULT"] = "file:///secure/custom.json" });
        l.VaultFile.ShouldBe("/secure/pydio-vault.json");
        l.IsExplicit("vault").ShouldBeTrue();
    }

    // common/runtime/runtime.go, VaultURL: "detect" (the default) puts the vault beside the config.
    [Fact]
    public void Runtime_go_a_detected_vault_sits_beside_the_config_file()
    {
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_CONFIG"] = "file:///etc/cells/main.json" });
        l.VaultFile.ShouldBe("/etc/cells/pydio-vault.json");
    }

    // common/config/revisions (BoltStore NewStore(configDir)): configs-versions.db beside the config file.
    [Fact]
    public void Config_history_sits_beside_the_config_file_wherever_CELLS_CONFIG_puts_it()
    {
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_CONFIG"] = "file:///etc/cells/pydio.json" });
        l.ConfigHistoryFile.ShouldBe("/etc/cells/configs-versions.db");
        Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }).ConfigHistoryFile.ShouldBe("/var/cells/configs-versions.db");
    }

    // cmd/root.go, initEnvPrefixes: every PYDIO_X is copied over CELLS_X, so the legacy name wins.
    [Fact]
    public void Root_go_legacy_pydio_names_win_over_cells_names()
    {
        var l = Discover(CellsOs.Linux, new() { ["PYDIO_WORKING_DIR"] = "/opt/pydio", ["CELLS_WORKING_DIR"] = "/var/cells", ["PYDIO_DATA_DIR"] = "/old-data", ["CELLS_DATA_DIR"] = "/new-data" });
        l.WorkingDir.ShouldBe("/opt/pydio");
        l.DataDir.ShouldBe("/old-data");
        l.Sources["working_dir"].ShouldBe("$PYDIO_WORKING_DIR");
    }

    // cmd/root.go, initEnvPrefixes: strings.Split(pair, "=") must give two parts, so a value holding '=' (or empty) is skipped.
    [Fact]
    public void Root_go_a_legacy_value_holding_an_equals_sign_or_empty_is_skipped()
    {
        var l = Discover(CellsOs.Linux, new()
        {
            ["PYDIO_CONFIG"] = "file:///odd/pydio.json?x=1",
            ["CELLS_CONFIG"] = "file:///etc/cells/pydio.json",
            ["PYDIO_WORKING_DIR"] = "",
            ["CELLS_WORKING_DIR"] = "/var/cells",
        });
        l.ConfigFile.ShouldBe("/etc/cells/pydio.json");
        l.WorkingDir.ShouldBe("/var/cells");
    }

    [Fact]
    public void A_remote_config_is_warned_about_and_has_no_file()
    {
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_CONFIG"] = "etcd://user:secret@etcd:2379/cells" });
        l.ConfigFile.ShouldBeNull();
        l.ConfigHistoryFile.ShouldBeNull();
        l.Warnings.ShouldHaveSingleItem().ShouldContain("etcd://***@etcd:2379/cells");
        l.Warnings[0].ShouldNotContain("secret");
    }

    // common/runtime/dirs.go reads CELLS_DATA_DIR etc. with os.Getenv only: a flags file never sets the dirs.
    [Fact]
    public void Dirs_go_a_flags_file_never_sets_the_working_data_log_or_services_dirs()
    {
        var fs = new FakeFileSystem(CellsOs.Linux)
            .With("/var/cells/flags.yaml", "working_dir: /elsewhere\ndata_dir: /big/data\nlog_dir: /var/log/cells\nservices_dir: /ssd\n");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs);
        l.FlagsFile.ShouldBe("/var/cells/flags.yaml");
        l.WorkingDir.ShouldBe("/var/cells");
        l.DataDir.ShouldBe("/var/cells/data");
        l.LogDir.ShouldBe("/var/cells/logs");
        l.ServicesDir.ShouldBe("/var/cells/services");
    }

    // cmd/root.go (v5) initViperRuntime: flags.<ext> in the WD sets viper keys config/vault/keyring/certs_store (keys.go).
    [Fact]
    public void Root_go_v5_a_flags_file_in_the_working_dir_sets_the_store_urls()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/var/cells/flags.yaml", "# flags\nkeyring: \"file:///secure/keyring?keyring=true\"\ncerts_store: file:///secure/certs\n");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs);
        l.KeyringFile.ShouldBe("/secure/keyring");
        l.CertsStore.ShouldBe("/secure/certs");
        l.Sources["keyring"].ShouldBe("flags file /var/cells/flags.yaml");
    }

    // cmd/root.go (v5) + viper SupportedExts order: json, toml, yaml, yml, … so flags.json wins over flags.yaml; WD before cwd.
    [Fact]
    public void Root_go_v5_tries_flags_json_first_and_the_working_dir_before_the_current_directory()
    {
        var fs = new FakeFileSystem(CellsOs.Linux)
            .With("/var/cells/flags.yaml", "config: file:///from-yaml/pydio.json\n")
            .With("/var/cells/flags.json", "{\"config\": \"file:///from-json/pydio.json\"}")
            .With("/srv/flags.json", "{\"config\": \"file:///from-cwd/pydio.json\"}");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs);
        l.FlagsFile.ShouldBe("/var/cells/flags.json");
        l.ConfigFile.ShouldBe("/from-json/pydio.json");
    }

    // cmd/root.go (v5): CELLS_FLAGS_FILE is used when it exists; the environment still beats it (viper: env over config file).
    [Fact]
    public void Root_go_v5_a_flags_file_named_by_CELLS_FLAGS_FILE_is_read_and_the_environment_beats_it()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/etc/cells-flags.json", "{\"keyring\": \"file:///flags/keyring\", \"certs_store\": \"file:///flags/certs\"}");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_FLAGS_FILE"] = "/etc/cells-flags.json", ["CELLS_CERTS_STORE"] = "file:///env/certs" }, fs);
        l.FlagsFile.ShouldBe("/etc/cells-flags.json");
        l.KeyringFile.ShouldBe("/flags/keyring");
        l.CertsStore.ShouldBe("/env/certs");
    }

    // cmd/root.go (v5): os.Stat(flagsFile) fails → no SetConfigFile, so Cells falls back to flags.<ext> silently.
    [Fact]
    public void Root_go_v5_a_missing_CELLS_FLAGS_FILE_falls_back_silently_to_flags_files()
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/var/cells/flags.env", "keyring=file:///fallback/keyring\n");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells", ["CELLS_FLAGS_FILE"] = "/nope.yaml" }, fs);
        l.FlagsFile.ShouldBe("/var/cells/flags.env");
        l.KeyringFile.ShouldBe("/fallback/keyring");
        l.Warnings.ShouldContain(w => w.Contains("/nope.yaml"));
    }

    // cmd/root.go (v4): SetConfigName("cells_local") + SetConfigType("env"): any extension (or none) is parsed as dotenv.
    [Theory]
    [InlineData("cells_local.json")]
    [InlineData("cells_local")]
    public void Root_go_v4_cells_local_is_always_dotenv_whatever_its_extension(string name)
    {
        var fs = new FakeFileSystem(CellsOs.Linux).With("/srv/" + name, "keyring=file:///v4/keyring\n");
        var l = Discover(CellsOs.Linux, new() { ["CELLS_WORKING_DIR"] = "/var/cells" }, fs, cwd: "/srv");
        l.FlagsFile.ShouldBe("/srv/" + name);
        l.KeyringFile.ShouldBe("/v4/keyring");
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
