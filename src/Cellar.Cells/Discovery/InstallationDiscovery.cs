namespace Cellar.Cells.Discovery;

/// <summary>
/// Finds a Cells installation exactly as Cells resolves it, as a pure function of
/// <see cref="DiscoveryInput"/>. Precedence for each setting: the <c>--cells-dir</c> flag (working
/// dir only), then <c>CELLS_*</c>, then legacy <c>PYDIO_*</c> environment variables, then the flags
/// file, then the default. The flags file is <c>$CELLS_FLAGS_FILE</c>, else the first
/// <c>flags.*</c> or <c>cells_local.*</c> in the working dir, else in the current directory.
/// </summary>
public static class InstallationDiscovery
{
    public static CellsLocations Discover(DiscoveryInput input)
    {
        var os = input.Os;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();

        string? FromEnvironment(string key, out string? name)
        {
            foreach (var prefix in new[] { "CELLS_", "PYDIO_" })
            {
                name = prefix + key.ToUpperInvariant();
                if (input.GetVariable(name) is { Length: > 0 } value)
                {
                    return value;
                }
            }

            name = null;
            return null;
        }

        // 1. A working dir from the flag or the environment, else the OS default.
        string workingDir;
        var wdFromEnv = FromEnvironment("working_dir", out var wdVariable);
        if (input.CellsDirFlag is { Length: > 0 } flag)
        {
            workingDir = flag;
            sources["working_dir"] = "--cells-dir";
        }
        else if (wdFromEnv is not null)
        {
            workingDir = wdFromEnv;
            sources["working_dir"] = "$" + wdVariable;
        }
        else
        {
            workingDir = DefaultWorkingDir(input);
            sources["working_dir"] = "default";
        }

        // 2. The flags file.
        var flagsFile = FindFlagsFile(input, workingDir, sources);
        var flags = flagsFile is null ? new Dictionary<string, string>() : FlagsFile.Parse(flagsFile, input.Files.ReadAllText(flagsFile));
        if (sources["working_dir"] == "default" && flags.TryGetValue("working_dir", out var wdFromFlags) && wdFromFlags.Length > 0)
        {
            workingDir = wdFromFlags;
            sources["working_dir"] = "flags file " + flagsFile;
        }

        string Resolve(string key, string fallback)
        {
            if (FromEnvironment(key, out var name) is { } fromEnv)
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

        var dataDir = Resolve("data_dir", OsPath.Join(os, workingDir, "data"));
        var logDir = Resolve("log_dir", OsPath.Join(os, workingDir, "logs"));
        var servicesDir = Resolve("services_dir", OsPath.Join(os, workingDir, "services"));
        var configUrl = Resolve("config", FileUrl.From(os, OsPath.Join(os, workingDir, "pydio.json")));
        var vaultUrl = Resolve("vault", "detect");
        var keyringUrl = Resolve("keyring", FileUrl.From(os, OsPath.Join(os, workingDir, "cells-vault-key")) + "?keyring=true");
        var certsUrl = Resolve("certs_store", FileUrl.From(os, OsPath.Join(os, workingDir, "certs")));

        var configFile = LocalPath(os, "config", configUrl, warnings);
        string? vaultFile;
        if (vaultUrl is "" or "detect")
        {
            vaultFile = configFile is null ? null : OsPath.Join(os, OsPath.Parent(os, configFile) ?? workingDir, "pydio-vault.json");
        }
        else
        {
            vaultFile = LocalPath(os, "vault", vaultUrl, warnings);
        }

        var keyringFile = LocalPath(os, "keyring", keyringUrl, warnings);
        var certsStore = LocalPath(os, "certs_store", certsUrl, warnings);

        return new CellsLocations(os, workingDir, dataDir, logDir, servicesDir, configFile, vaultFile, keyringFile, certsStore, flagsFile, sources, warnings);
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

    private static string? FindFlagsFile(DiscoveryInput input, string workingDir, Dictionary<string, string> sources)
    {
        if (input.GetVariable("CELLS_FLAGS_FILE") is { Length: > 0 } explicitFile)
        {
            var path = OsPath.IsAbsolute(input.Os, explicitFile) ? explicitFile : OsPath.Join(input.Os, input.CurrentDirectory, explicitFile);
            if (!input.Files.FileExists(path))
            {
                throw new CellsConfigException(path, "CELLS_FLAGS_FILE names this flags file but it does not exist.");
            }

            sources["flags_file"] = "$CELLS_FLAGS_FILE";
            return path;
        }

        foreach (var dir in new[] { workingDir, input.CurrentDirectory })
        {
            foreach (var baseName in FlagsFile.BaseNames)
            {
                var name = input.Files.FileNames(dir)
                    .Where(n => n.StartsWith(baseName + ".", StringComparison.OrdinalIgnoreCase) && FlagsFile.IsCandidate(n))
                    .Order(StringComparer.Ordinal)
                    .FirstOrDefault();
                if (name is not null)
                {
                    sources["flags_file"] = dir == workingDir ? "working dir" : "current directory";
                    return OsPath.Join(input.Os, dir, name);
                }
            }
        }

        return null;
    }

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
