namespace Cellar.Cells.Running;

/// <summary>What a <see cref="FlockProbe"/> found on a store file.</summary>
public enum LockState
{
    /// <summary>Nobody holds an exclusive lock: no process has the store open for writing.</summary>
    Free,

    /// <summary>A process (Cells) holds the store open for writing.</summary>
    Held,

    /// <summary>The file does not exist.</summary>
    Missing,

    /// <summary>The probe could not tell (no permission, or an OS without flock).</summary>
    Unknown,
}
