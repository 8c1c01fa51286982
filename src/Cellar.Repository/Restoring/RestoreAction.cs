namespace Cellar.Repository.Restoring;

/// <summary>One line of a restore plan as restic 0.17 reports it: <c>restored</c>, <c>updated</c>, <c>unchanged</c> or <c>deleted</c>, the location, and the size of a file.</summary>
public sealed record RestoreAction(string Action, string Location, ulong Size);
