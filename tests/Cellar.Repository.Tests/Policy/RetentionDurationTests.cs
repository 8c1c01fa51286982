using System.Globalization;
using Cellar.Repository.Policy;

namespace Cellar.Repository.Tests.Policy;

public sealed class RetentionDurationTests
{
    [Theory]
    [InlineData("1y2m3d4h", 1, 2, 3, 4, "1y2m3d4h")]
    [InlineData("13d23h", 0, 0, 13, 23, "13d23h")]
    [InlineData("1y1d1m", 1, 1, 1, 0, "1y1m1d")]
    [InlineData(" 5d ", 0, 0, 5, 0, "5d")]
    public void Parses_restic_syntax(string text, int years, int months, int days, int hours, string printed)
    {
        var d = RetentionDuration.Parse(text);
        d.ShouldBe(new RetentionDuration(years, months, days, hours));
        d.ToString().ShouldBe(printed);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("d")]
    [InlineData("3w")]
    [InlineData("1y2")]
    public void Refuses_malformed_durations_with_a_sentence(string text)
    {
        Should.Throw<FormatException>(() => RetentionDuration.Parse(text)).Message.ShouldContain("duration");
    }

    [Fact]
    public void Month_subtraction_rolls_over_like_go_AddDate()
    {
        // Go: 2016-03-31 minus one month is "February 31st", normalized to March 2nd (2016 is a leap year).
        var march31 = DateTimeOffset.Parse("2016-03-31T10:00:00+02:00", CultureInfo.InvariantCulture);
        RetentionDuration.Parse("1m").Before(march31).ShouldBe(DateTimeOffset.Parse("2016-03-02T10:00:00+02:00", CultureInfo.InvariantCulture));
        RetentionDuration.Parse("1y2h").Before(march31).ShouldBe(DateTimeOffset.Parse("2015-03-31T08:00:00+02:00", CultureInfo.InvariantCulture));
        RetentionDuration.Parse("9999y").Before(march31).ShouldBe(DateTimeOffset.MinValue);
    }
}
