namespace Cellar.Cli;

/// <summary>Exit codes, as restic uses them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Fatal = 1;
    /// <summary>Usage error (bad flags or arguments).</summary>
    public const int Usage = 2;
    /// <summary>Finished, but some files could not be read (backup) or restored.</summary>
    public const int Incomplete = 3;
    /// <summary>The repository does not exist (restic 0.17's code).</summary>
    public const int RepositoryNotFound = 10;
    /// <summary>The repository could not be locked: another process holds a conflicting lock.</summary>
    public const int Locked = 11;
    /// <summary>No key of the repository opens with the password given.</summary>
    public const int WrongPassword = 12;
    public const int Interrupted = 130;
}
