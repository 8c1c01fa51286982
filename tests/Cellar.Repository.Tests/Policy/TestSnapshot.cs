using Cellar.Repository.Policy;

namespace Cellar.Repository.Tests.Policy;

internal sealed record TestSnapshot(DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths, IReadOnlyList<string> Tags) : IRetentionCandidate
{
    public static TestSnapshot At(string time, params string[] tags) =>
        new(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), "host", [], tags);

    public override string ToString() => $"{Time:O} [{string.Join(",", Tags)}] [{string.Join(",", Paths)}]";
}
