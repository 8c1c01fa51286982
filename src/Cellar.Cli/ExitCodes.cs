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
    public const int Interrupted = 130;
}
