using System.Globalization;
using System.Text.Json;
using Cellar.Repository.Policy;
using Cellar.Testing;

namespace Cellar.Repository.Tests.Policy;

/// <summary>
/// restic's own golden results for its retention policy (../shared/fixtures/restic/policy): the same
/// 103 snapshots under 40 policies must give exactly restic's kept list, order, reasons and counters.
/// </summary>
public sealed class RetentionPolicyGoldenTests
{
    public static TheoryData<int> Policies => new(Enumerable.Range(0, 40));

    [Theory]
    [MemberData(nameof(Policies))]
    public void Keeps_exactly_what_restic_keeps(int number)
    {
        var cases = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Require("restic", "policy", "cases.json")));
        var expected = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Require("restic", "policy", $"policy_keep_snapshots_{number}")));
        var snapshots = cases.RootElement.GetProperty("snapshots").EnumerateArray().Select(ReadSnapshot).ToList();
        var policy = ReadPolicy(cases.RootElement.GetProperty("policies")[number]);

        var result = policy.Apply(snapshots);

        var expectedKeep = ReadList(expected.RootElement.GetProperty("keep")).Select(ReadSnapshot).Select(s => s.ToString()).ToList();
        result.Keep.Select(s => s.ToString()).ToList().ShouldBe(expectedKeep, $"policy {number}: {policy}");
        result.Remove.Count.ShouldBe(snapshots.Count - expectedKeep.Count);

        var expectedReasons = expected.RootElement.TryGetProperty("reasons", out var r) ? ReadList(r).ToList() : [];
        result.Reasons.Count.ShouldBe(expectedReasons.Count);
        for (var i = 0; i < expectedReasons.Count; i++)
        {
            var reason = result.Reasons[i];
            reason.Snapshot.ToString().ShouldBe(ReadSnapshot(expectedReasons[i].GetProperty("snapshot")).ToString());
            reason.Matches.ShouldBe(expectedReasons[i].GetProperty("matches").EnumerateArray().Select(m => m.GetString()!).ToList(), $"policy {number}, reason {i}");
            Counters(reason.Counters).ShouldBe(ReadCounters(expectedReasons[i].GetProperty("counters")), $"policy {number}, counters {i}");
        }
    }

    private static IEnumerable<JsonElement> ReadList(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? [] : element.EnumerateArray();

    private static TestSnapshot ReadSnapshot(JsonElement e) => new(
        DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture),
        "",
        e.TryGetProperty("paths", out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().Select(x => x.GetString()!).ToList() : [],
        e.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : []);

    private static RetentionPolicy ReadPolicy(JsonElement e)
    {
        int Count(string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : 0;
        RetentionDuration Duration(string name) => e.TryGetProperty(name, out var v) ? RetentionDuration.Parse(v.GetString()!) : default;
        return new RetentionPolicy
        {
            Last = Count("last"),
            Hourly = Count("hourly"),
            Daily = Count("daily"),
            Weekly = Count("weekly"),
            Monthly = Count("monthly"),
            Yearly = Count("yearly"),
            Within = Duration("within"),
            WithinHourly = Duration("withinHourly"),
            WithinDaily = Duration("withinDaily"),
            WithinWeekly = Duration("withinWeekly"),
            WithinMonthly = Duration("withinMonthly"),
            WithinYearly = Duration("withinYearly"),
            KeepTags = e.TryGetProperty("tags", out var tags)
                ? tags.EnumerateArray().Select(l => (IReadOnlyList<string>)l.EnumerateArray().Select(x => x.GetString()!).ToList()).ToList()
                : [],
        };
    }

    private static SortedDictionary<string, int> Counters(RetentionCounters c)
    {
        var all = new Dictionary<string, int>
        {
            ["last"] = c.Last, ["hourly"] = c.Hourly, ["daily"] = c.Daily, ["weekly"] = c.Weekly, ["monthly"] = c.Monthly, ["yearly"] = c.Yearly,
        };
        return new SortedDictionary<string, int>(all.Where(kv => kv.Value != 0).ToDictionary(), StringComparer.Ordinal);
    }

    private static SortedDictionary<string, int> ReadCounters(JsonElement e) =>
        new(e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()), StringComparer.Ordinal);
}
