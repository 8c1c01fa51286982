using Cellar.Cells.Consistency;

namespace Cellar.Cells.Installation;

/// <summary>
/// <c>backup --verify-consistency</c>: the consistency proof on the live datasource folders and the
/// live database, right after the dump (with Cells stopped, both are from one moment), so a damaged
/// installation is noticed the night it happens.
/// </summary>
internal static class ConsistencyAtBackup
{
    public static async Task<IReadOnlyList<ConsistencyFinding>> RunAsync(InstallationPlan plan, bool databaseDumped, Action<string> log, CancellationToken cancellationToken)
    {
        var targets = ProofTargets(plan.Datasources.Where(d => plan.LeftOut.All(l => l.Name != d.Name)), plan.PathMap.ToHost);
        if (!databaseDumped)
        {
            log("WARNING: consistency proof skipped: the database was left out of this backup");
            return [new ConsistencyFinding("*", "no-index", plan.Database.Database, "the database was left out, so the datasources could not be checked against their index")];
        }

        if (IndexReaders.For(plan.Database) is not { } reader)
        {
            log($"WARNING: consistency proof skipped: Cellar cannot read datasource indexes from {plan.Database.Engine.DisplayName} yet");
            return [];
        }

        var report = await ConsistencyProof.RunAsync(targets, reader, cancellationToken).ConfigureAwait(false);
        foreach (var proof in report.Datasources)
        {
            log($"consistency: datasource {proof.Name} ({(proof.FlatStorage ? "flat" : "structured")}): {proof.IndexedFiles} indexed files, {proof.Objects} objects, " +
                $"{proof.Findings.Count(f => f.IsFailure)} problem(s), {proof.Findings.Count(f => !f.IsFailure)} orphan(s)");
        }

        foreach (var finding in report.Findings)
        {
            log((finding.IsFailure ? "WARNING: " : "note: ") + finding);
        }

        return report.Findings.ToList();
    }

    /// <summary>
    /// The LOCAL datasources with a folder (at its host path), as the proof takes them. Cells-internal
    /// datasources (thumbnails, versions) are left out: their objects are written straight into the
    /// bucket under names of their own (a thumbnail is <c>UUID-SIZE.jpg</c>), not by the index.
    /// </summary>
    public static List<ProofTarget> ProofTargets(IEnumerable<CellsDatasource> datasources, Func<string, string> toHost) =>
        datasources.Where(d => d.IsLocal && d.Folder is not null && !d.Internal).Select(d => new ProofTarget(d.Name, toHost(d.Folder!), d.FlatStorage)).ToList();
}
