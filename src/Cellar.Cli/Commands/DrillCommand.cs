using System.CommandLine;
using System.Globalization;
using System.Text;
using Cellar.Cells.Drill;
using Cellar.Cells.Installation;
using Cellar.Cli.Installation;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Locking;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar drill [SNAPSHOT|latest] [--scratch DIR] [--scratch-dsn DSN] [--keep] [--json]</c>:
/// restores a Cells snapshot into scratch space, proves it whole, reports the time to recover and
/// saves the result in the repository (a snapshot tagged <c>cellar-drill</c>). Exit 0 only when
/// everything restored and verified; 1 otherwise, naming each failure.
/// </summary>
internal sealed class DrillCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("drill", "Restore a Cells snapshot into scratch space and prove it restores whole");
        var snapshotArgument = new Argument<string>("snapshot") { Description = "Snapshot id (or unique prefix) or 'latest' (the newest Cells installation snapshot)", Arity = ArgumentArity.ZeroOrOne };
        var scratch = new Option<string?>("--scratch") { Description = "Empty scratch folder to restore into (default: a new folder in the temp dir); never the installation's own paths" };
        var scratchDsn = new Option<string?>("--scratch-dsn") { Description = "Load the database into this empty database instead of a private throwaway server" };
        var keep = new Option<bool>("--keep") { Description = "Keep the restored installation in the scratch folder afterwards" };
        var noSave = new Option<bool>("--no-save") { Description = "Do not save the result as a cellar-drill snapshot" };
        command.Arguments.Add(snapshotArgument);
        command.Options.Add(scratch);
        command.Options.Add(scratchDsn);
        command.Options.Add(keep);
        command.Options.Add(noSave);
        command.SetHandler(globals, CommandLock.Unless(LockMode.Shared, noSave), async context =>
        {
            var say = InstallationBackupCli.Sayer(context);
            var spec = context.Get(snapshotArgument) ?? "latest";
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var snapshot = spec == "latest"
                ? (await repository.ListSnapshotsAsync(context.CancellationToken, new SnapshotFilter { Tags = [SnapshotLayout.Tag] }).ConfigureAwait(false))
                    .LastOrDefault(s => !(s.Tags ?? []).Contains(SnapshotLayout.PassOneTag, StringComparer.Ordinal) && !(s.Tags ?? []).Contains(DrillTags.Tag, StringComparer.Ordinal))
                  ?? throw new SnapshotNotFoundException("the repository holds no Cells installation snapshot to drill (latest)")
                : await repository.FindSnapshotAsync(spec, context.CancellationToken).ConfigureAwait(false);
            var folder = context.Get(scratch) is { } s
                ? Path.GetFullPath(s, context.Environment.CurrentDirectory)
                : Path.Combine(Path.GetTempPath(), "cellar-drill-" + Guid.NewGuid().ToString("N")[..12]);
            say($"drilling Cells snapshot {snapshot.Id.ToShortString()} of {snapshot.Time} in {folder}");
            var drill = new InstallationDrill(repository, snapshot, snapshot.Id, new DrillOptions
            {
                Scratch = folder,
                ScratchDsn = context.Get(scratchDsn),
                Keep = context.Get(keep),
                Log = say,
            });
            var report = await drill.RunAsync(context.CancellationToken).ConfigureAwait(false);
            if (!context.Get(keep) && context.Get(scratch) is null)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }

            Id? saved = null;
            if (!context.Get(noSave))
            {
                saved = await drill.SaveAsync(report, context.CancellationToken).ConfigureAwait(false);
            }

            if (context.Json)
            {
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(report.ToJson())).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(Describe(report, saved)).ConfigureAwait(false);
            }

            foreach (var failure in report.Failures)
            {
                await context.Error.WriteLineAsync("cellar: drill failure: " + failure).ConfigureAwait(false);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.Fatal;
        });
        return command;
    }

    private static string Describe(DrillReport report, Id? saved)
    {
        static string S(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"time to recover: {S(report.RecoverSeconds)} (files {S(report.FilesSeconds)}, database {S(report.DatabaseSeconds)}); verification {S(report.VerifySeconds)}; total {S(report.TotalSeconds)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"restored: {report.FilesRestored} files, {report.BytesRestored} bytes, {report.RowsLoaded} rows");
        text.AppendLine(CultureInfo.InvariantCulture, $"verified: {report.FilesVerified} files against the snapshot, {report.StoresVerified} BoltDB stores, {report.TablesVerified} tables (rows and digest), pydio.json {(report.ConfigVerified ? "ok" : "NOT ok")}");
        foreach (var ds in report.Consistency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"consistency: datasource {ds.Name} ({(ds.FlatStorage ? "flat" : "structured")}): {ds.IndexedFiles} indexed files, {ds.Objects} objects, {ds.Findings.Count(f => f.IsFailure)} problem(s), {ds.Findings.Count(f => !f.IsFailure)} orphan(s)");
        }

        foreach (var note in report.Notes)
        {
            text.AppendLine("note: " + note);
        }

        text.AppendLine(report.Passed
            ? $"drill PASSED: snapshot {report.SnapshotId[..8]} restores whole" + (saved is { } id ? $" (recorded as {id.ToShortString()})" : "")
            : $"drill FAILED: {report.Failures.Count} problem(s)" + (saved is { } id2 ? $" (recorded as {id2.ToShortString()})" : ""));
        return text.ToString();
    }
}
