using System.Globalization;

namespace Cellar.Repository.Policy;

/// <summary>
/// Which snapshots of one group to keep, with the same rules, order and reasons as restic's
/// <c>forget --keep-…</c>: counts per time bucket (last, hourly, daily, ISO-weekly, monthly, yearly;
/// -1 for unlimited), durations relative to the newest snapshot (within, and per bucket within),
/// and tag lists. A count rule with counts left also keeps the oldest snapshot, so the history
/// reaches as far back as the counts allow.
/// </summary>
public sealed record RetentionPolicy
{
    public const int Unlimited = -1;

    public int Last { get; init; }
    public int Hourly { get; init; }
    public int Daily { get; init; }
    public int Weekly { get; init; }
    public int Monthly { get; init; }
    public int Yearly { get; init; }
    public RetentionDuration Within { get; init; }
    public RetentionDuration WithinHourly { get; init; }
    public RetentionDuration WithinDaily { get; init; }
    public RetentionDuration WithinWeekly { get; init; }
    public RetentionDuration WithinMonthly { get; init; }
    public RetentionDuration WithinYearly { get; init; }

    /// <summary>Keep every snapshot that carries all tags of at least one of these lists.</summary>
    public IReadOnlyList<IReadOnlyList<string>> KeepTags { get; init; } = [];

    public bool IsEmpty =>
        KeepTags.Count == 0 && Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0 &&
        Within.IsZero && WithinHourly.IsZero && WithinDaily.IsZero && WithinWeekly.IsZero && WithinMonthly.IsZero && WithinYearly.IsZero;

    /// <summary>Applies the policy to one group; the current time bounds which snapshot counts as newest.</summary>
    public RetentionResult<T> Apply<T>(IEnumerable<T> snapshots, DateTimeOffset? now = null)
        where T : IRetentionCandidate
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        // Newest first; snapshots with equal times keep their input order (a stable sort, as restic's).
        var list = snapshots.OrderByDescending(s => s.Time).ToList();
        var keep = new List<T>();
        var remove = new List<T>();
        var reasons = new List<KeepReason<T>>();
        if (list.Count == 0)
        {
            return new RetentionResult<T>(keep, remove, reasons);
        }

        var counts = new[] { Last, Hourly, Daily, Weekly, Monthly, Yearly };
        var countLast = new long[] { -1, -1, -1, -1, -1, -1 };
        string[] countReasons = ["last snapshot", "hourly snapshot", "daily snapshot", "weekly snapshot", "monthly snapshot", "yearly snapshot"];
        var withins = new[] { WithinHourly, WithinDaily, WithinWeekly, WithinMonthly, WithinYearly };
        var withinLast = new long[] { -1, -1, -1, -1, -1 };
        string[] withinReasons = ["hourly within", "daily within", "weekly within", "monthly within", "yearly within"];

        var latest = Latest(list, now ?? DateTimeOffset.Now);
        for (var nr = 0; nr < list.Count; nr++)
        {
            var current = list[nr];
            var isOldest = nr == list.Count - 1;
            var matches = new List<string>();

            foreach (var tags in KeepTags)
            {
                if (HasTags(current, tags))
                {
                    matches.Add($"has tags [{string.Join(", ", tags)}]");
                }
            }

            if (!Within.IsZero && current.Time > Within.Before(latest))
            {
                matches.Add($"within {Within}");
            }

            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] > 0 || counts[i] == Unlimited)
                {
                    var bucket = i == 0 ? nr : Bucket(i, current.Time);
                    if (bucket != countLast[i] || isOldest)
                    {
                        var reason = bucket == countLast[i] ? "oldest " + countReasons[i] : countReasons[i];
                        countLast[i] = bucket;
                        if (counts[i] > 0)
                        {
                            counts[i]--;
                        }

                        matches.Add(reason);
                    }
                }
            }

            for (var i = 0; i < withins.Length; i++)
            {
                if (!withins[i].IsZero && current.Time > withins[i].Before(latest))
                {
                    var bucket = Bucket(i + 1, current.Time);
                    if (bucket != withinLast[i] || isOldest)
                    {
                        var reason = bucket == withinLast[i] ? "oldest " + withinReasons[i] : withinReasons[i];
                        withinLast[i] = bucket;
                        matches.Add($"{reason} {withins[i]}");
                    }
                }
            }

            if (matches.Count > 0)
            {
                keep.Add(current);
                reasons.Add(new KeepReason<T>(current, matches, new RetentionCounters(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])));
            }
            else
            {
                remove.Add(current);
            }
        }

        return new RetentionResult<T>(keep, remove, reasons);
    }

    /// <summary>restic's one-line summary, e.g. "keep 7 daily snapshots, 4 weekly snapshots".</summary>
    public override string ToString()
    {
        var keeps = new List<string>();
        foreach (var (count, name) in new[] { (Last, "latest"), (Hourly, "hourly"), (Daily, "daily"), (Weekly, "weekly"), (Monthly, "monthly"), (Yearly, "yearly") })
        {
            if (count > 0)
            {
                keeps.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {name}"));
            }
            else if (count == Unlimited)
            {
                keeps.Add($"all {name}");
            }
        }

        var keepWithin = new List<string>();
        foreach (var (duration, name) in new[] { (WithinHourly, "hourly"), (WithinDaily, "daily"), (WithinWeekly, "weekly"), (WithinMonthly, "monthly"), (WithinYearly, "yearly") })
        {
            if (!duration.IsZero)
            {
                keepWithin.Add($"{name} snapshots within {duration}");
            }
        }

        var s = keeps.Count > 0 ? $"{string.Join(", ", keeps)} snapshots" : "";
        if (keepWithin.Count > 0)
        {
            s += (s.Length > 0 ? ", " : "") + string.Join(", ", keepWithin);
        }

        if (KeepTags.Count > 0)
        {
            s += (s.Length > 0 ? " and " : "") + $"all snapshots with tags [{string.Join(" ", KeepTags.Select(t => "[" + string.Join(", ", t) + "]"))}]";
        }

        if (!Within.IsZero)
        {
            s += (s.Length > 0 ? " and " : "") + $"all snapshots within {Within} of the newest";
        }

        return "keep " + s;
    }

    /// <summary>restic: a snapshot has a tag list when it has every tag in it; an empty tag matches untagged snapshots.</summary>
    public static bool HasTags(IRetentionCandidate snapshot, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            if (tag.Length == 0 && snapshot.Tags.Count == 0)
            {
                return true;
            }

            if (!snapshot.Tags.Contains(tag, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static DateTimeOffset Latest<T>(List<T> list, DateTimeOffset now)
        where T : IRetentionCandidate
    {
        // The newest snapshot, but never one from the future.
        var latest = DateTimeOffset.MinValue;
        foreach (var snapshot in list)
        {
            if (snapshot.Time > latest && snapshot.Time < now)
            {
                latest = snapshot.Time;
            }
        }

        return latest;
    }

    /// <summary>The bucket of a time on its own clock: 1 hour, 2 day, 3 ISO week, 4 month, 5 year.</summary>
    private static long Bucket(int kind, DateTimeOffset time)
    {
        var t = time.DateTime;
        return kind switch
        {
            1 => (t.Year * 1000000L) + (t.Month * 10000L) + (t.Day * 100L) + t.Hour,
            2 => (t.Year * 10000L) + (t.Month * 100L) + t.Day,
            3 => (ISOWeek.GetYear(t) * 100L) + ISOWeek.GetWeekOfYear(t),
            4 => (t.Year * 100L) + t.Month,
            5 => t.Year,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
