using Cellar.Repository.Platform;

namespace Cellar.Cells.Installation;

/// <summary>
/// A BoltDB file or Bleve folder copied into staging while Cells was stopped: where it lies, its
/// copy (null when it was missing), its status then, and each file copied (relative path, empty for
/// a single file, with the status it had).
/// </summary>
internal sealed record StoreCopy(string Path, string Kind, string? Copy, FileStatus Status, IReadOnlyList<(string Relative, FileStatus Status)> Files);
