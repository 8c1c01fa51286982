namespace Cellar.Repository;

/// <summary>No key file of the repository opens with the given password.</summary>
public sealed class WrongPasswordException(string location)
    : Exception($"wrong password or no key found for repository {location}; check the password and try again.")
{
    public string Location { get; } = location;
}
