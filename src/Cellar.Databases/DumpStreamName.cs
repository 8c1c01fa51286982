namespace Cellar.Databases;

/// <summary>The rule every dump stream name follows, whatever the engine: one plain file name, never a path.</summary>
internal static class DumpStreamName
{
    public static string CheckSafe(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a dump stream name.", nameof(name));
        }

        return name;
    }
}
