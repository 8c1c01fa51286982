namespace Cellar.Testing;

/// <summary>What <see cref="TrickyTree.Generate"/> made: regular files, their total size, and all entries given metadata.</summary>
public sealed record TrickyTreeSummary(int Files, long Bytes, int Entries);
