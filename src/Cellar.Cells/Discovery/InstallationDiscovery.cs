namespace Cellar.Cells.Discovery;

/// <summary>
/// Finds a Cells installation exactly as Cells resolves it, as a pure function of
/// <see cref="DiscoveryInput"/>:
/// <list type="bullet">
/// <item>a legacy <c>PYDIO_X</c> variable replaces <c>CELLS_X</c> unless its value is empty or holds
/// <c>=</c> (<c>initEnvPrefixes</c>, <c>cmd/root.go</c>);</item>
/// <item>the working, data, log and services dirs come only from the environment
/// (<c>os.Getenv</c> in <c>common/runtime/dirs.go</c>) or the <c>--cells-dir</c> flag, never from a flags file;</item>
/// <item>the store URLs (<c>config</c>, <c>vault</c>, <c>keyring</c>, <c>certs_store</c>,
/// <c>common/runtime/keys.go</c>) from <c>CELLS_*</c>, then the flags file (<see cref="FlagsFile"/>), then the default;</item>
/// <item>a file vault is always <c>pydio-vault.json</c> in its URL's folder (<c>VaultURL</c>, <c>common/runtime/runtime.go</c>).</item>
/// </list>
/// </summary>
public static class InstallationDiscovery
{
    public static CellsLocations Discover(DiscoveryInput input)
    {
        var os = input.Os;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();

        // 1. The working dir: the flag, else the environment, else the OS default (never a flags file).
        string workingDir;
        if (input.CellsDirFlag is { Length: > 0 } flag)
        {
            workingDir = flag;
            sources["working_dir"] = "--cells-dir";
        }
        else if (FromEnvironment(input, "WORKING_DIR", out var wdVariable) is { } wdFromEnv)
        {
            workingDir = wdFromEnv;
            sources["working_dir"] = "$" + wdVariable;
        }
        else
        {
            workingDir = DefaultWorkingDir(input);
            sources["working_dir"] = "default";
        }

        string Dir(string key, string variable, string folder)
        {
            if (FromEnvironment(input, variable, out var name) is { } value)
            {
                sources[key] = "$" + name;
                return value;
            }

            sources[key] = "default";
            return OsPath.Join(os, workingDir, folder);
        }

        var dataDir = Dir("data_dir", "DATA_DIR", "data");
        var logDir = Dir("log_dir", "LOG_DIR", "logs");
        var servicesDir = Dir("services_dir", "SERVICES_DIR", "services");

        // 2. The flags file, then the store URLs (environment, flags file, default).
        var (flagsFile, alwaysDotenv) = FindFlagsFile(input, workingDir, sources, warnings);
        var flags = flagsFile is null ? new Dictionary<string, string>() : FlagsFile.Parse(flagsFile, input.Files.ReadAllText(flagsFile), alwaysDotenv);

        string Url(string key, string fallback)
        {
            if (FromEnvironment(input, key.ToUpperInvariant(), out var name) is { } fromEnv)
            {
                sources[key] = "$" + name;
                return fromEnv;
            }

            if (flags.TryGetValue(key, out var fromFlags) && fromFlags.Length > 0)
            {
                sources[key] = "flags file " + flagsFile;
                return fromFlags;
            }

            sources[key] = "default";
            return fallback;
        }

        var configUrl = Url("config", FileUrl.From(os, OsPath.Join(os, workingDir, "pydio.json")));
        var vaultUrl = Url("vault", "detect");
        var keyringUrl = Url("keyring", FileUrl.From(os, OsPath.Join(os, workingDir, "cells-vault-key")) + "?keyring=true");
        var certsUrl = Url("certs_store", FileUrl.From(os, OsPath.Join(os, workingDir, "certs")));

        var configFile = LocalPath(os, "config", configUrl, warnings);
        string? vaultFile;
        if (vaultUrl is "" or "detect")
        {
            vaultFile = configFile is null ? null : OsPath.Join(os, OsPath.Parent(os, configFile) ?? workingDir, "pydio-vault.json");
            if (configFile is not null)
            {
                sources["vault"] = "default: beside the config (" + sources["config"] + ")";
            }
        }
        else
        {
            // Cells renames any file vault to pydio-vault.json in the folder of the URL it was given.
            vaultFile = LocalPath(os, "vault", vaultUrl, warnings) is { } given
                ? OsPath.Join(os, OsPath.Parent(os, given) ?? workingDir, "pydio-vault.json")
                : null;
        }

        var keyringFile = LocalPath(os, "keyring", keyringUrl, warnings);
        var certsStore = LocalPath(os, "certs_store", certsUrl, warnings);

        return new CellsLocations(os, workingDir, dataDir, logDir, servicesDir, configFile, vaultFile, keyringFile, certsStore, flagsFile, sources, warnings);
    }

    /// <summary>
    /// The value Cells sees for <c>CELLS_<paramref name="suffix"/></c>: <c>PYDIO_<paramref name="suffix"/></c>
    /// when set to a value without <c>=</c> (Cells copies it over), else <c>CELLS_<paramref name="suffix"/></c>.
    /// </summary>
    public static string? FromEnvironment(DiscoveryInput input, string suffix, out string? name)
    {
        if (input.GetVariable("PYDIO_" + suffix) is { Length: > 0 } legacy && !legacy.Contains('=', StringComparison.Ordinal))
        {
            name = "PYDIO_" + suffix;
            return legacy;
        }

        if (input.GetVariable("CELLS_" + suffix) is { Length: > 0 } value)
        {
            name = "CELLS_" + suffix;
            return value;
        }

        name = null;
        return null;
    }

    /// <summary>The default working dir of Cells on the input's OS.</summary>
    public static string DefaultWorkingDir(DiscoveryInput input)
    {
        var os = input.Os;
        string Require(string variable) => input.GetVariable(variable) is { Length: > 0 } v
            ? v
            : throw new CellsConfigException("(environment)", $"${variable} is not set, so the default Cells working dir cannot be found; give --cells-dir or set CELLS_WORKING_DIR.");

        switch (os)
        {
            case CellsOs.Windows:
                var appData = input.GetVariable("APPDATA") is { Length: > 0 } a ? a : OsPath.Join(os, Require("USERPROFILE"), "AppData", "Roaming");
                return OsPath.Join(os, appData, "Pydio", "cells");
            case CellsOs.MacOs:
                return OsPath.Join(os, Require("HOME"), "Library", "Application Support", "Pydio", "cells");
            default:
                var config = input.GetVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : OsPath.Join(os, Require("HOME"), ".config");
                return OsPath.Join(os, config, "pydio", "cells");
        }
    }

    private static (string? Path, bool AlwaysDotenv) FindFlagsFile(DiscoveryInput input, string workingDir, Dictionary<string, string> sources, List<string> warnings)
    {
        // v5: $CELLS_FLAGS_FILE when the file exists; a missing one is ignored silently by Cells.
        if (FromEnvironment(input, "FLAGS_FILE", out var variable) is { } named)
        {
            var path = OsPath.IsAbsolute(input.Os, named) ? named : OsPath.Join(input.Os, input.CurrentDirectory, named);
            if (input.Files.FileExists(path))
            {
                sources["flags_file"] = "$" + variable;
                if (!FlagsFile.HasViperExtension(path))
                {
                    warnings.Add($"${variable} names {path}, whose extension Cells cannot read: Cells ignores it, and so does Cellar.");
                    return (null, false);
                }

                return (path, false);
            }

            warnings.Add($"${variable} names {path}, which does not exist: Cells ignores it and looks for flags.* instead, as Cellar does.");
        }

        var dirs = new[] { (Dir: workingDir, Name: "working dir"), (Dir: input.CurrentDirectory, Name: "current directory") };
        foreach (var (dir, name) in dirs)
        {
            if (FirstWithExtension(input, dir, FlagsFile.V5BaseName) is { } v5)
            {
                sources["flags_file"] = "v5 flags file in the " + name;
                return (v5, false);
            }
        }

        foreach (var (dir, name) in dirs)
        {
            var v4 = FirstWithExtension(input, dir, FlagsFile.V4BaseName);
            var bare = OsPath.Join(input.Os, dir, FlagsFile.V4BaseName);
            v4 ??= input.Files.FileExists(bare) ? bare : null;
            if (v4 is not null)
            {
                sources["flags_file"] = "v4 cells_local file in the " + name;
                return (v4, true);
            }
        }

        return (null, false);
    }

    private static string? FirstWithExtension(DiscoveryInput input, string dir, string baseName) =>
        FlagsFile.ViperExtensions.Select(e => OsPath.Join(input.Os, dir, baseName + "." + e)).FirstOrDefault(input.Files.FileExists);

    private static string? LocalPath(CellsOs os, string key, string url, List<string> warnings)
    {
        if (FileUrl.TryGetPath(os, url, out var path))
        {
            return path;
        }

        warnings.Add($"{key} is stored at {FileUrl.Redact(url)}, not in a local file: Cellar does not back it up.");
        return null;
    }
}
