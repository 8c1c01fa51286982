using System.CommandLine;
using System.Globalization;
using Cellar.Repository.Policy;

namespace Cellar.Cli.Commands.Forget;

/// <summary>The <c>--keep-…</c> options of <c>forget</c>, named and abbreviated as restic's.</summary>
internal sealed class ForgetPolicyOptions
{
    public Option<string?> Last { get; } = Count("--keep-last", "-l", "the last N snapshots");
    public Option<string?> Hourly { get; } = Count("--keep-hourly", "-H", "the last N hourly snapshots");
    public Option<string?> Daily { get; } = Count("--keep-daily", "-d", "the last N daily snapshots");
    public Option<string?> Weekly { get; } = Count("--keep-weekly", "-w", "the last N weekly snapshots");
    public Option<string?> Monthly { get; } = Count("--keep-monthly", "-m", "the last N monthly snapshots");
    public Option<string?> Yearly { get; } = Count("--keep-yearly", "-y", "the last N yearly snapshots");
    public Option<string?> Within { get; } = Duration("--keep-within", "snapshots newer than DURATION (e.g. 1y5m7d2h) before the newest snapshot");
    public Option<string?> WithinHourly { get; } = Duration("--keep-within-hourly", "hourly snapshots newer than DURATION before the newest snapshot");
    public Option<string?> WithinDaily { get; } = Duration("--keep-within-daily", "daily snapshots newer than DURATION before the newest snapshot");
    public Option<string?> WithinWeekly { get; } = Duration("--keep-within-weekly", "weekly snapshots newer than DURATION before the newest snapshot");
    public Option<string?> WithinMonthly { get; } = Duration("--keep-within-monthly", "monthly snapshots newer than DURATION before the newest snapshot");
    public Option<string?> WithinYearly { get; } = Duration("--keep-within-yearly", "yearly snapshots newer than DURATION before the newest snapshot");

    public Option<string[]> KeepTag { get; } = new("--keep-tag")
    {
        Description = "Keep snapshots with these tags: a,b needs both; repeat for either",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Last, Hourly, Daily, Weekly, Monthly, Yearly, Within, WithinHourly, WithinDaily, WithinWeekly, WithinMonthly, WithinYearly, KeepTag })
        {
            command.Options.Add(option);
        }
    }

    public RetentionPolicy Read(CommandContext context) => new()
    {
        Last = ReadCount(context, Last),
        Hourly = ReadCount(context, Hourly),
        Daily = ReadCount(context, Daily),
        Weekly = ReadCount(context, Weekly),
        Monthly = ReadCount(context, Monthly),
        Yearly = ReadCount(context, Yearly),
        Within = ReadDuration(context, Within),
        WithinHourly = ReadDuration(context, WithinHourly),
        WithinDaily = ReadDuration(context, WithinDaily),
        WithinWeekly = ReadDuration(context, WithinWeekly),
        WithinMonthly = ReadDuration(context, WithinMonthly),
        WithinYearly = ReadDuration(context, WithinYearly),
        KeepTags = (context.Get(KeepTag) ?? [])
            .Select(list => (IReadOnlyList<string>)list.Split(',').Select(t => t.Trim()).ToList())
            .ToList(),
    };

    private static Option<string?> Count(string name, string alias, string what) =>
        new(name, alias) { Description = $"Keep {what} (a number, or 'unlimited')", HelpName = "N" };

    private static Option<string?> Duration(string name, string what) =>
        new(name) { Description = $"Keep {what}", HelpName = "DURATION" };

    private static int ReadCount(CommandContext context, Option<string?> option)
    {
        var text = context.Get(option);
        if (text is null)
        {
            return 0;
        }

        if (text == "unlimited")
        {
            return RetentionPolicy.Unlimited;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            throw new UserException($"{option.Name} needs a number or 'unlimited', not '{text}'.", ExitCodes.Usage);
        }

        if (count < 0)
        {
            throw new UserException($"{option.Name}: negative values are not allowed, use 'unlimited' instead.", ExitCodes.Usage);
        }

        return count;
    }

    private static RetentionDuration ReadDuration(CommandContext context, Option<string?> option)
    {
        var text = context.Get(option);
        if (text is null)
        {
            return default;
        }

        RetentionDuration duration;
        try
        {
            duration = RetentionDuration.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UserException($"{option.Name}: {ex.Message}", ExitCodes.Usage);
        }

        if (duration.IsNegative)
        {
            throw new UserException($"{option.Name}: durations with negative values are not allowed.", ExitCodes.Usage);
        }

        return duration;
    }
}
