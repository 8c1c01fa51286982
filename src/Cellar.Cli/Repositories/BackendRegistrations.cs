using Cellar.Repository.Storage;
using Cellar.Storage.S3;

namespace Cellar.Cli.Repositories;

/// <summary>
/// The one place where backends beyond local folders are plugged into the CLI: each registers the
/// scheme of its locations with <see cref="Cellar.Repository.Storage.BackendRegistry"/>.
/// </summary>
internal static class BackendRegistrations
{
    private static int s_done;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_done, 1) == 1)
        {
            return;
        }

        // Register further schemes here. Credentials come from the environment the command runs in
        // (in-process tests give their own); retries are reported on its error output.
        BackendRegistry.Register("s3", location => S3BackendFactory.Open(location, Variable, message => Error().WriteLine($"cellar: {message}")));
    }

    private static string? Variable(string name) => (CliApp.CurrentEnvironment.Value ?? CliEnvironment.Process).GetVariable(name);

    private static TextWriter Error() => (CliApp.CurrentEnvironment.Value ?? CliEnvironment.Process).Error;
}
