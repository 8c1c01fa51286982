using System.Globalization;
using System.Text.Json;
using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary>
/// <c>forget --group-by</c> with every subset of host, paths, tags and with '' (one group), judged
/// by the real restic's <c>forget --dry-run --json</c> on the same repository (restic's
/// GroupSnapshots: the key is the chosen fields, paths and tags sorted).
/// </summary>
/// <remarks>
/// One known difference, on purpose: Cellar applies newer restic's rule that a count with counts
/// left also keeps a group's oldest snapshot (restic's own golden results in
/// ../shared/fixtures/restic/policy); restic 0.14 predates it. So every group must match, and the
/// only snapshots Cellar may keep beyond restic 0.14 are ones kept for an "oldest …" reason alone.
/// </remarks>
public sealed class ForgetGroupByTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("cellar-groupby");
    private ResticRepositoryMaker _maker = null!;

    public static TheoryData<string> Groupings => new("", "host", "paths", "tags", "host,paths", "host,tags", "paths,tags", "host,paths,tags");

    public async ValueTask InitializeAsync()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            Directory.CreateDirectory(_temp.Combine("src", name));
            await File.WriteAllTextAsync(_temp.Combine("src", name, "f"), name, TestContext.Current.CancellationToken);
        }

        _maker = new ResticRepositoryMaker(_temp.Combine("repo"));
        await _maker.InitAsync();
        var random = new Random(20260);
        var start = new DateTime(2025, 1, 1, 12, 0, 0);
        string[][] pathSets = [["a"], ["b"], ["a", "b"], ["c"]];
        string[][] tagSets = [[], ["x"], ["y"], ["x", "y"]];
        // Distinct times: restic 0.14 orders snapshots of equal time as they happen to load.
        var hours = Enumerable.Range(0, 24 * 200).OrderBy(_ => random.Next()).Take(40).ToList();
        foreach (var hour in hours)
        {
            var time = start.AddHours(hour);
            var host = "h" + random.Next(1, 4);
            var paths = pathSets[random.Next(pathSets.Length)].Select(p => _temp.Combine("src", p));
            var tags = tagSets[random.Next(tagSets.Length)].SelectMany(t => new[] { "--tag", t });
            await _maker.RunAsync(["backup", "-q", "--host", host, "--time", time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), .. tags, .. paths]);
        }
    }

    public ValueTask DisposeAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Groupings))]
    public async Task Groups_and_kept_snapshots_match_restic(string groupBy)
    {
        string[][] policies = [["--keep-last", "2"], ["--keep-daily", "4", "--keep-weekly", "2"], ["--keep-monthly", "3"], ["--keep-within", "30d", "--keep-tag", "x"]];
        foreach (var policy in policies)
        {
            var theirs = Groups(await _maker.RunAsync(["forget", "--dry-run", "--json", "--group-by", groupBy, .. policy]));
            var (code, output, error) = await CliHarness.RunAsync(_maker.CellarEnvironment, ["forget", "--dry-run", "--json", "--group-by", groupBy, .. policy]);
            code.ShouldBe(0, error);
            var ours = Groups(output);
            var what = $"--group-by '{groupBy}' {string.Join(' ', policy)}";

            ours.Keys.Order().ShouldBe(theirs.Keys.Order(), what);
            foreach (var (key, (keep, remove, reasons)) in theirs)
            {
                var mine = ours[key];
                keep.Except(mine.Keep).ShouldBeEmpty($"{what}, group {key}: restic keeps these, Cellar not");
                foreach (var extra in mine.Keep.Except(keep))
                {
                    mine.Reasons[extra].ShouldAllBe(r => r.StartsWith("oldest ", StringComparison.Ordinal), $"{what}, group {key}: {extra} kept beyond restic 0.14 for {string.Join(", ", mine.Reasons[extra])}");
                }

                mine.Remove.Concat(mine.Keep).Order().ShouldBe(remove.Concat(keep).Order(), $"{what}, group {key}");
                foreach (var id in keep)
                {
                    mine.Reasons[id].Where(r => !r.StartsWith("oldest ", StringComparison.Ordinal)).ShouldBe(reasons[id], $"{what}, reasons of {id}");
                }
            }
        }
    }

    /// <summary>restic's forget JSON by group key (host, paths, tags as written): kept and removed ids, and each kept one's reasons.</summary>
    private static Dictionary<string, (HashSet<string> Keep, HashSet<string> Remove, Dictionary<string, List<string>> Reasons)> Groups(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<string, (HashSet<string>, HashSet<string>, Dictionary<string, List<string>>)>();
        foreach (var group in doc.RootElement.EnumerateArray())
        {
            var key = $"host={group.GetProperty("host")} paths={group.GetProperty("paths")} tags={group.GetProperty("tags")}";
            // restic 0.14 writes the reasons' snapshots without their id: match them by content.
            var idOf = new Dictionary<string, string>();
            foreach (var kept in List(group.GetProperty("keep")))
            {
                idOf[Identity(kept)] = kept.GetProperty("id").GetString()!;
            }

            var reasons = new Dictionary<string, List<string>>();
            foreach (var reason in List(group.GetProperty("reasons")))
            {
                reasons[idOf[Identity(reason.GetProperty("snapshot"))]] = [.. reason.GetProperty("matches").EnumerateArray().Select(m => m.GetString()!)];
            }

            result[key] = ([.. Ids(group.GetProperty("keep"))], [.. Ids(group.GetProperty("remove"))], reasons);
        }

        return result;
    }

    private static IEnumerable<JsonElement> List(JsonElement list) =>
        list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static IEnumerable<string> Ids(JsonElement list) => List(list).Select(s => s.GetProperty("id").GetString()!);

    private static string Identity(JsonElement snapshot) =>
        $"{snapshot.GetProperty("time")} {snapshot.GetProperty("tree")} {snapshot.GetProperty("hostname")} {snapshot.GetProperty("paths")} {(snapshot.TryGetProperty("tags", out var tags) ? tags.ToString() : "")}";
}
