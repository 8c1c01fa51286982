using Cellar.Repository.Model;

namespace Cellar.Repository.Policy;

/// <summary>A loaded snapshot seen through the retention policy's eyes.</summary>
public sealed class SnapshotCandidate(Snapshot snapshot) : IForgetCandidate
{
    public Snapshot Snapshot { get; } = snapshot;

    public string Id => Snapshot.Id.ToString();

    public DateTimeOffset Time { get; } = snapshot.Time.ToDateTimeOffset();

    public string Hostname => Snapshot.Hostname ?? "";

    public IReadOnlyList<string> Paths => Snapshot.Paths ?? [];

    public IReadOnlyList<string> Tags => Snapshot.Tags ?? [];
}
