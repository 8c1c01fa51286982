namespace Cellar.Repository;

/// <summary>The location holds no restic repository (no <c>config</c> file).</summary>
public sealed class RepositoryNotFoundException(string location)
    : IOException($"there is no repository at {location} (no config file); check the path or create one with 'cellar init'.")
{
    public string Location { get; } = location;
}
