namespace Cellar.Cells.Bolt;

/// <summary>What <see cref="BoltVerifier"/> found in one BoltDB file.</summary>
public sealed record BoltCheckResult(string Path, IReadOnlyList<string> Problems, BoltFileSummary? Summary)
{
    /// <summary>True when the file would open and every reachable page is where the chosen meta says.</summary>
    public bool IsSound => Problems.Count == 0;
}
