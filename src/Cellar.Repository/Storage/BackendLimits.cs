namespace Cellar.Repository.Storage;

/// <summary>How many operations of each kind may run at once against one backend.</summary>
public sealed record BackendLimits(int Saves, int Loads, int Metadata)
{
    /// <summary>For local folders: generous, so parallel restore and backup are bounded by the cores, not by this.</summary>
    public static BackendLimits Local { get; } = new(8, 32, 32);

    /// <summary>For S3 and other remote stores: more requests in flight hide the round trip.</summary>
    public static BackendLimits Remote { get; } = new(5, 8, 16);
}
