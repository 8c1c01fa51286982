using System.Collections.Concurrent;

namespace Cellar.Repository.Storage;

/// <summary>
/// Maps a repository location to a backend. <c>scheme:rest</c> goes to the factory registered for
/// that scheme (e.g. <c>s3</c>); <c>local:path</c> and plain paths are local folders.
/// </summary>
public static class BackendRegistry
{
    private static readonly HashSet<string> KnownSchemes = ["s3", "sftp", "rest", "b2", "azure", "gs", "swift", "rclone"];
    private static readonly ConcurrentDictionary<string, Func<string, IBackend>> Factories = new(StringComparer.Ordinal);

    /// <summary>Registers the factory for locations <c>scheme:rest</c>; it receives the whole location.</summary>
    public static void Register(string scheme, Func<string, IBackend> factory) => Factories[scheme] = factory;

    public static bool IsRegistered(string scheme) => Factories.ContainsKey(scheme);

    /// <summary>A backend for <paramref name="location"/>; relative local paths resolve against <paramref name="currentDirectory"/>.</summary>
    public static IBackend Create(string location, string? currentDirectory = null)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1)
        {
            var scheme = location[..colon];
            if (scheme == "local")
            {
                return Local(location[(colon + 1)..], location, currentDirectory);
            }

            if (Factories.TryGetValue(scheme, out var factory))
            {
                return factory(location);
            }

            if (KnownSchemes.Contains(scheme))
            {
                throw new NotSupportedException(
                    $"repositories of type '{scheme}:' are not supported by this build; use a local path, local:PATH{string.Concat(Factories.Keys.Order(StringComparer.Ordinal).Select(k => ", " + k + ":..."))}.");
            }
        }

        return Local(location, location, currentDirectory);
    }

    /// <summary>A local folder with the standard wrappers (limits; retries only ever apply to transient errors).</summary>
    private static IBackend Local(string path, string location, string? currentDirectory)
    {
        var full = currentDirectory is null ? Path.GetFullPath(path) : Path.GetFullPath(path, currentDirectory);
        return BackendStack.Compose(new LocalBackend(full, location), BackendLimits.Local);
    }
}
