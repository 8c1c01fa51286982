using Cellar.Cells.Consistency;
using Cellar.Repository;
using Cellar.Repository.Archiving;

namespace Cellar.Cells.Installation;

/// <summary>
/// What a quiesced backup took while Cells was stopped: the pass-2 snapshot of the files (with
/// S3 objects and command outputs), the stores copied (verified and stored from the copies after Cells starts), the consistency proof, and the
/// database's moment, held until its dump is read after Cells starts again.
/// </summary>
internal sealed record QuietPass(
    Id FilesSnapshot,
    BackupStatistics FilesStatistics,
    long DataAdded,
    IReadOnlyList<StoreCopy> StoreCopies,
    IReadOnlyList<ManifestS3Datasource> S3Datasources,
    IReadOnlyList<ConsistencyFinding>? Consistency,
    DatabaseStage.Held? Database,
    string Staging) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync().ConfigureAwait(false);
        }

        DeleteStaging(Staging);
    }

    public static void DeleteStaging(string staging)
    {
        try
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
