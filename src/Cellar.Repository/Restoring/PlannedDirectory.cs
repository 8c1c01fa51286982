using Cellar.Repository.Model;
using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>A folder the restore created or entered: its parent (-1: the target itself), name, and node when its metadata is restored.</summary>
internal sealed record PlannedDirectory(int Index, int Parent, RawPath Name, string Location, Node? Node);
