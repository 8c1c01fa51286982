using System.Collections.Concurrent;

namespace Cellar.Repository.Checking;

/// <summary>What a check found: errors (the repository is damaged) and warnings (harmless, e.g. unindexed packs).</summary>
public sealed class CheckResult
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyCollection<string> Errors => _errors;
    public IReadOnlyCollection<string> Warnings => _warnings;
    public bool HasErrors => !_errors.IsEmpty;

    public int PacksChecked { get; internal set; }
    /// <summary>Packs read in full (all with --read-data, a subset with --read-data-subset).</summary>
    public int PacksRead { get; internal set; }
    public int SnapshotsChecked { get; internal set; }
    public int TreesChecked { get; internal set; }
    public long BytesRead { get; internal set; }

    internal void Error(string message) => _errors.Enqueue(message);

    internal void Warning(string message) => _warnings.Enqueue(message);
}
