using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cellar.Databases.Postgres.Internal;

/// <summary>
/// Finds and runs the PostgreSQL client programs (<c>pg_dump</c>, <c>pg_restore</c>, <c>psql</c>):
/// the newest one under <c>/usr/lib/postgresql/N/bin</c> (Debian keeps every installed major
/// there), else the one on PATH. Credentials go through the environment; failures become
/// <see cref="DatabaseException"/> sentences without the password.
/// </summary>
internal static partial class PgTools
{
    private const string DebianPackage = "postgresql-client";

    // Each program's path and major version, found once per process (Debian's /usr/bin wrapper is a Perl script that costs ~0.2 s a call).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<(string Path, int Major)>> Found = new(StringComparer.Ordinal);

    /// <summary>A client program at least as new as the server (pg_dump refuses newer servers; older servers are fine).</summary>
    public static async Task<string> RequireAsync(string name, int serverMajor, CancellationToken ct)
    {
        var best = await Found.GetOrAdd(name, static n => FindNewestAsync(n)).ConfigureAwait(false);
        if (best.Path.Length == 0)
        {
            Found.TryRemove(name, out _);
            throw new DatabaseException(
                $"{name} is not installed, and Cellar drives it to dump and load PostgreSQL; install the Debian package {DebianPackage}-{Math.Max(serverMajor, 13)} (or {DebianPackage}), then run again.");
        }

        if (serverMajor > 0 && best.Major < serverMajor)
        {
            throw new DatabaseException(
                $"{name} {best.Major} ({best.Path}) is older than the PostgreSQL {serverMajor} server and cannot read it; install the Debian package {DebianPackage}-{serverMajor} (PostgreSQL's apt repository has it when Debian does not), then run again.");
        }

        return best.Path;
    }

    private static async Task<(string Path, int Major)> FindNewestAsync(string name)
    {
        var best = (Path: "", Major: -1);
        foreach (var candidate in Candidates(name))
        {
            var major = await MajorVersionAsync(candidate, CancellationToken.None).ConfigureAwait(false);
            if (major > best.Major)
            {
                best = (candidate, major);
            }
        }

        return best;
    }

    /// <summary>Runs a client program with the DSN in its environment; returns its standard output, or throws a sentence saying what failed.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, PostgresDsn dsn, string doing, CancellationToken ct, string? database = null)
    {
        var psi = StartInfo(program, args, dsn, database);
        using var process = Process.Start(psi) ?? throw new DatabaseException($"{doing}: could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw;
        }

        var stdout = await output.ConfigureAwait(false);
        var stderr = await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw Describe(stderr, dsn, doing, Path.GetFileName(program), process.ExitCode);
        }

        return stdout;
    }

    /// <summary>How to start a client program: output and errors captured, the DSN (and nothing inherited) in the environment.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, PostgresDsn dsn, string? database)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGOPTIONS", "PGSSLMODE", "PGTZ", "PGCLIENTENCODING" })
        {
            psi.Environment.Remove(variable);
        }

        foreach (var (key, value) in dsn.Environment(database))
        {
            psi.Environment[key] = value;
        }

        psi.Environment["PGCLIENTENCODING"] = "UTF8";
        return psi;
    }

    /// <summary>Runs one query through psql (no .psqlrc, tab-separated unaligned rows).</summary>
    public static async Task<IReadOnlyList<string[]>> QueryAsync(PostgresDsn dsn, string sql, string doing, CancellationToken ct, string? database = null)
    {
        var psql = await RequireAsync("psql", 0, ct).ConfigureAwait(false);
        var output = await RunAsync(psql, ["-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql], dsn, doing, ct, database).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    public static bool IsMissingDatabase(DatabaseException ex) => ex.Message.Contains("does not exist", StringComparison.Ordinal) && ex.Message.Contains("database", StringComparison.Ordinal);

    public static DatabaseException Describe(string stderr, PostgresDsn dsn, string doing, string tool, int exitCode)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => PrefixPattern().Replace(l, ""))
            .Where(l => l.Length > 0 && !l.StartsWith("warning: errors ignored", StringComparison.Ordinal))
            .ToList();
        var message = lines.Count == 0 ? $"{tool} exited with code {exitCode}" : string.Join(" ", lines.Take(3));
        if (dsn.Password.Length > 0)
        {
            message = message.Replace(dsn.Password, "***", StringComparison.Ordinal);
        }

        var text = message switch
        {
            _ when message.Contains("password authentication failed", StringComparison.Ordinal) || message.Contains("no password supplied", StringComparison.Ordinal) =>
                $"the PostgreSQL server at {dsn.Where} refused user '{dsn.User}' ({message}); check the credentials in the DSN.",
            _ when message.Contains("Connection refused", StringComparison.Ordinal) || message.Contains("No such file or directory", StringComparison.Ordinal) && message.Contains("connect", StringComparison.Ordinal)
                   || message.Contains("could not translate host name", StringComparison.Ordinal) || message.Contains("timeout expired", StringComparison.Ordinal) =>
                $"cannot reach the PostgreSQL server at {dsn.Where} ({message}); check that it is running and the DSN host, port or socket is right.",
            _ when message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) =>
                $"user '{dsn.User}' lacks a privilege ({message}); grant it or use the database owner.",
            _ => message.EndsWith('.') ? message : message + ".",
        };
        return new DatabaseException($"{doing}: {text}");
    }

    private static IEnumerable<string> Candidates(string name)
    {
        const string root = "/usr/lib/postgresql";
        var versioned = false;
        if (Directory.Exists(root))
        {
            foreach (var dir in Directory.EnumerateDirectories(root)
                         .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0))
                         .OrderByDescending(d => d.Major))
            {
                var path = Path.Combine(dir.Dir, "bin", name);
                if (File.Exists(path))
                {
                    versioned = true;
                    yield return path;
                }
            }
        }

        if (versioned)
        {
            // Debian's PATH entry is a wrapper around these same programs.
            yield break;
        }

        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                yield return path;
            }
        }
    }

    private static async Task<int> MajorVersionAsync(string program, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(program, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi);
        if (process is null)
        {
            return 0;
        }

        var text = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        var match = VersionPattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^(pg_dump|pg_restore|psql)(: (error|fatal|detail|hint))?: ")]
    private static partial Regex PrefixPattern();
}
