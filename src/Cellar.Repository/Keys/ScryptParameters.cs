namespace Cellar.Repository.Keys;

/// <summary>scrypt cost parameters of a key file.</summary>
internal sealed record ScryptParameters(int N, int R, int P)
{
    /// <summary>restic's defaults for new keys (N=2^15, r=8, p=1).</summary>
    public static ScryptParameters Default { get; } = new(32768, 8, 1);
}
