using System.Globalization;
using Cellar.Repository.Policy;

namespace Cellar.Repository.Tests.Policy;

public sealed class ForgetPlanTests
{
    private sealed record Candidate(string Id, DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths, IReadOnlyList<string> Tags) : IForgetCandidate;

    private static Candidate Snap(string id, string time, string host, string[] paths, params string[] tags) =>
        new(id, DateTimeOffset.Parse(time, CultureInfo.InvariantCulture), host, paths, tags);

    private static readonly Candidate[] Snapshots =
    [
        Snap("a1", "2024-01-01T10:00:00Z", "web", ["/srv/cells"]),
        Snap("a2", "2024-01-02T10:00:00Z", "web", ["/srv/cells"]),
        Snap("a3", "2024-01-03T10:00:00Z", "web", ["/srv/cells"], "cells"),
        Snap("b1", "2024-01-01T11:00:00Z", "db", ["/var/lib/mysql", "/etc"]),
        Snap("b2", "2024-01-02T11:00:00Z", "db", ["/etc", "/var/lib/mysql"]),
    ];

    [Fact]
    public void Policy_applies_per_host_and_paths_group_by_default()
    {
        var plan = ForgetPlan<Candidate>.ForPolicy(Snapshots, new RetentionPolicy { Last = 1 }, SnapshotGroupBy.Default);
        plan.Groups.Count.ShouldBe(2);
        plan.Groups[0].Key.Header.ShouldBe("snapshots for (host [db], paths [/etc, /var/lib/mysql]):");
        plan.Groups[0].Result.Keep.Select(s => s.Id).ShouldBe(["b2"]);
        plan.Groups[1].Result.Keep.Select(s => s.Id).ShouldBe(["a3"]);
        plan.ToRemove.Select(s => s.Id).Order().ShouldBe(["a1", "a2", "b1"]);
    }

    [Fact]
    public void Grouping_by_tags_separates_tagged_snapshots()
    {
        var plan = ForgetPlan<Candidate>.ForPolicy(Snapshots, new RetentionPolicy { Last = 1 }, SnapshotGroupBy.Parse("host,tags"));
        plan.Groups.Count.ShouldBe(3);
        plan.ToRemove.Select(s => s.Id).Order().ShouldBe(["a1", "b1"]);
    }

    [Fact]
    public void No_grouping_applies_the_policy_to_everything_at_once()
    {
        var plan = ForgetPlan<Candidate>.ForPolicy(Snapshots, new RetentionPolicy { Last = 2 }, SnapshotGroupBy.Parse(""));
        plan.Groups.Single().Key.Header.ShouldBe("");
        plan.Groups.Single().Result.Keep.Select(s => s.Id).ShouldBe(["a3", "b2"]);
    }

    [Fact]
    public void Keep_tag_alone_that_matches_nothing_in_a_group_is_refused()
    {
        var ex = Should.Throw<PolicyException>(() =>
            ForgetPlan<Candidate>.ForPolicy(Snapshots, new RetentionPolicy { KeepTags = [["cells"]] }, SnapshotGroupBy.Default));
        ex.Message.ShouldBe("refusing to delete last snapshot of snapshot group \"host db, path [/etc /var/lib/mysql]\".");
    }

    [Fact]
    public void Empty_policy_is_refused()
    {
        Should.Throw<PolicyException>(() => ForgetPlan<Candidate>.ForPolicy(Snapshots, new RetentionPolicy(), SnapshotGroupBy.Default))
            .Message.ShouldStartWith("no policy was specified");
    }

    [Fact]
    public void Unknown_group_by_option_is_refused_with_a_sentence()
    {
        Should.Throw<FormatException>(() => SnapshotGroupBy.Parse("host,colour")).Message.ShouldContain("'colour'");
    }

    [Fact]
    public void Policy_describes_itself_like_restic()
    {
        new RetentionPolicy { Daily = 7, Weekly = 4, Yearly = RetentionPolicy.Unlimited, WithinDaily = RetentionDuration.Parse("1m"), KeepTags = [["a", "b"]], Within = RetentionDuration.Parse("2d") }
            .ToString().ShouldBe("keep 7 daily, 4 weekly, all yearly snapshots, daily snapshots within 1m and all snapshots with tags [[a, b]] and all snapshots within 2d of the newest");
    }
}
