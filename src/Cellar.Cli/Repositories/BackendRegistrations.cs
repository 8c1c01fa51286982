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

        // Register further schemes here, e.g.:
        // BackendRegistry.Register("s3", location => S3Backend.FromLocation(location));
    }
}
