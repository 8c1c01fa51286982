using Cellar.Databases;

namespace Cellar.Cells.Installation;

/// <summary>The per-table database dump stored in a snapshot under <see cref="SnapshotLayout.Database"/>.</summary>
internal sealed class SnapshotDumpSource(SnapshotFiles files) : IDumpSource
{
    public async ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken) =>
        await files.OpenAsync(SnapshotLayout.Database + "/" + name, cancellationToken).ConfigureAwait(false);
}
