using Cellar.Repository.Tagging;

namespace Cellar.Repository.Tests.Tagging;

/// <summary>restic's cmd_tag rules: --set replaces (a single empty tag clears), else --add then --remove; nothing to change is no change.</summary>
public sealed class TagChangeTests
{
    [Fact]
    public void Add_appends_only_missing_tags_in_order_and_reports_no_change_when_all_are_there()
    {
        var change = new TagChange([], ["b", "c", "b"], []);

        Check(change.Apply(["a", "b"]), ["a", "b", "c"], true);
        new TagChange([], ["a"], []).Apply(["a"]).Changed.ShouldBeFalse();
    }

    [Fact]
    public void Remove_drops_every_occurrence_and_an_emptied_list_becomes_no_tags()
    {
        Check(new TagChange([], [], ["a"]).Apply(["a", "b", "a"]), ["b"], true);
        Check(new TagChange([], [], ["a"]).Apply(["a"]), null, true);
        Check(new TagChange([], [], ["x"]).Apply(null), null, false);
    }

    [Fact]
    public void Set_replaces_everything_and_a_single_empty_tag_clears()
    {
        Check(new TagChange(["z", "y"], [], []).Apply(["a"]), ["z", "y"], true);
        Check(new TagChange([""], [], []).Apply(["a"]), null, true);
    }

    private static void Check((List<string>? Tags, bool Changed) result, string[]? tags, bool changed)
    {
        result.Changed.ShouldBe(changed);
        if (tags is null)
        {
            result.Tags.ShouldBeNull();
        }
        else
        {
            result.Tags.ShouldBe(tags);
        }
    }
}
