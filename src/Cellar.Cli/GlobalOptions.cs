using System.CommandLine;

namespace Cellar.Cli;

/// <summary>Options every command accepts, named as restic names them.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Repo { get; } = new("--repo", "-r")
    {
        Description = "ResticRepository to back up to or restore from (default: $CELLAR_REPOSITORY)",
        Recursive = true,
    };

    public Option<string?> PasswordFile { get; } = new("--password-file", "-p")
    {
        Description = "File to read the repository password from (default: $CELLAR_PASSWORD_FILE)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON instead of text",
        Recursive = true,
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only errors and the final result",
        Recursive = true,
    };

    public Option<bool> NoLock { get; } = new("--no-lock")
    {
        Description = "Do not lock the repository (read-only commands only)",
        Recursive = true,
    };

    public Option<string?> RetryLock { get; } = new("--retry-lock")
    {
        Description = "Keep trying to lock the repository for this long while another process holds it (e.g. 5m)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(RetryLock);
        root.Options.Add(Repo);
        root.Options.Add(PasswordFile);
        root.Options.Add(Json);
        root.Options.Add(Quiet);
        root.Options.Add(NoLock);
    }
}
