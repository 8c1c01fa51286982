namespace Cellar.Cells.Running;

/// <summary>Whether Cells looks alive: stores held open for writing, and cells processes seen.</summary>
public sealed record RunningState(IReadOnlyDictionary<string, LockState> Stores, IReadOnlyList<int> CellsProcesses)
{
    public IEnumerable<string> HeldStores => Stores.Where(s => s.Value == LockState.Held).Select(s => s.Key);

    /// <summary>True when any store is locked for writing or a cells process runs.</summary>
    public bool IsRunning => HeldStores.Any() || CellsProcesses.Count > 0;

    /// <summary>Probes every store file and looks for cells processes.</summary>
    public static RunningState Detect(IEnumerable<string> storeFiles, string procRoot = "/proc") =>
        new(storeFiles.Distinct(StringComparer.Ordinal).ToDictionary(f => f, FlockProbe.Probe, StringComparer.Ordinal), CellsProcessFinder.Find(procRoot));
}
