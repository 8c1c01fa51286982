using System.Globalization;
using System.Text;

namespace Cellar.Cells.Scheduling;

/// <summary>
/// The systemd units (service + timer for the backup, and for the drill) or the cron lines of a
/// <see cref="SchedulePlan"/>. Arguments are quoted as systemd.service(5) "Command lines" reads them.
/// </summary>
public static class ScheduleUnits
{
    /// <summary>File name → content of every unit the plan needs.</summary>
    public static IReadOnlyDictionary<string, string> Render(SchedulePlan plan)
    {
        var units = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [SchedulePlan.BackupUnit + ".service"] = BackupService(plan),
            [SchedulePlan.BackupUnit + ".timer"] = Timer($"Daily Cellar backup of the Cells installation at {plan.At:HH\\:mm}", OnCalendar(plan.At)),
        };
        if (plan.Drill is { } drill)
        {
            units[SchedulePlan.DrillUnit + ".service"] = DrillService(plan);
            units[SchedulePlan.DrillUnit + ".timer"] = Timer($"Cellar recovery drill of the latest Cells snapshot ({drill})", DrillCalendar(plan));
        }

        return units;
    }

    /// <summary>systemd's calendar expression for a daily run at <paramref name="at"/>.</summary>
    public static string OnCalendar(TimeOnly at) => string.Create(CultureInfo.InvariantCulture, $"*-*-* {at:HH\\:mm}:00");

    /// <summary>Lines for /etc/cron.d/cellar (with the user field), for machines without systemd.</summary>
    public static string CronLines(SchedulePlan plan)
    {
        var env = $"CELLAR_REPOSITORY={Shell(plan.Repository)} CELLAR_PASSWORD_FILE={Shell(plan.PasswordFile)}";
        var backup = Shell(plan.Cellar) + " backup " + string.Join(' ', plan.BackupArguments.Select(Shell));
        if (plan.KeepArguments.Count > 0)
        {
            backup += " && " + Shell(plan.Cellar) + " " + string.Join(' ', ForgetArguments(plan).Select(Shell));
        }

        var text = new StringBuilder("# /etc/cron.d/cellar: written by 'cellar schedule install' (no systemd on this machine)\n");
        text.Append(CultureInfo.InvariantCulture, $"{plan.At.Minute} {plan.At.Hour} * * * root {env} {backup.Replace("%", "\\%", StringComparison.Ordinal)}\n");
        if (plan.Drill is { } drill)
        {
            var drillAt = plan.At.AddHours(2);
            var days = drill switch { "daily" => "* * *", "monthly" => "1 * *", _ => "* * 0" };
            text.Append(CultureInfo.InvariantCulture, $"{drillAt.Minute} {drillAt.Hour} {days} root {env} {Shell(plan.Cellar)} drill latest\n");
        }

        return text.ToString();
    }

    /// <summary>The arguments of the forget that follows each backup (only Cells snapshots: drill records stay).</summary>
    public static IReadOnlyList<string> ForgetArguments(SchedulePlan plan) => ["forget", "--tag", "cells", .. plan.KeepArguments, "--prune"];

    private static string BackupService(SchedulePlan plan)
    {
        var text = Header($"Cellar backup of the Cells installation to {plan.Repository}", plan);
        text.Append("ExecStart=").Append(Command(plan.Cellar, ["backup", .. plan.BackupArguments])).Append('\n');
        if (plan.KeepArguments.Count > 0)
        {
            // Runs only when the backup succeeded (systemd skips ExecStartPost after a failed ExecStart).
            text.Append("ExecStartPost=").Append(Command(plan.Cellar, ForgetArguments(plan))).Append('\n');
        }

        return text.ToString();
    }

    private static string DrillService(SchedulePlan plan)
    {
        var text = Header("Cellar recovery drill of the latest Cells snapshot", plan);
        text.Append("ExecStart=").Append(Command(plan.Cellar, ["drill", "latest"])).Append('\n');
        return text.ToString();
    }

    private static StringBuilder Header(string description, SchedulePlan plan)
    {
        var text = new StringBuilder();
        text.Append("# Written by 'cellar schedule install'; remove with 'cellar schedule remove'.\n");
        text.Append("[Unit]\n");
        text.Append("Description=").Append(description.Replace("%", "%%", StringComparison.Ordinal)).Append('\n');
        text.Append("Wants=network-online.target\nAfter=network-online.target\n\n");
        text.Append("[Service]\nType=oneshot\n");
        text.Append("Environment=").Append(Quote("CELLAR_REPOSITORY=" + plan.Repository)).Append('\n');
        // The password stays in its file: the unit (world-readable) only names it.
        text.Append("Environment=").Append(Quote("CELLAR_PASSWORD_FILE=" + plan.PasswordFile)).Append('\n');
        text.Append("Nice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=7\n");
        return text;
    }

    private static string Timer(string description, string calendar) =>
        "# Written by 'cellar schedule install'; remove with 'cellar schedule remove'.\n" +
        "[Unit]\n" +
        $"Description={description.Replace("%", "%%", StringComparison.Ordinal)}\n\n" +
        "[Timer]\n" +
        $"OnCalendar={calendar}\n" +
        "Persistent=true\n\n" +
        "[Install]\n" +
        "WantedBy=timers.target\n";

    private static string DrillCalendar(SchedulePlan plan)
    {
        // Two hours after the backup, so the drill takes the night's snapshot.
        var at = plan.At.AddHours(2);
        var time = string.Create(CultureInfo.InvariantCulture, $"{at:HH\\:mm}:00");
        return plan.Drill switch
        {
            "daily" => "*-*-* " + time,
            "monthly" => "*-*-01 " + time,
            _ => "Sun *-*-* " + time,
        };
    }

    private static string Command(string executable, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(executable).Select(Quote));

    /// <summary>One word of a unit's command line: double-quoted when needed, <c>%</c> and <c>$</c> doubled so systemd expands neither.</summary>
    public static string Quote(string word)
    {
        var escaped = word.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        if (escaped.Length > 0 && escaped.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@".Contains(c, StringComparison.Ordinal)))
        {
            return escaped;
        }

        return "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>One word for /bin/sh (cron): single-quoted when needed.</summary>
    public static string Shell(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
