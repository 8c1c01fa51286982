namespace Cellar.Cells.Installation;

/// <summary>How Cellar stops and starts Cells around the short second pass: two shell commands, or a systemd unit.</summary>
public sealed record CellsService(string StopCommand, string StartCommand)
{
    /// <summary>The commands for a systemd unit (<c>systemctl stop/start NAME</c>).</summary>
    public static CellsService ForSystemdUnit(string unit)
    {
        if (unit.Length == 0 || unit.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or ':' or '\\')))
        {
            throw new ArgumentException($"'{unit}' is not a systemd unit name.", nameof(unit));
        }

        return new CellsService($"systemctl stop {unit}", $"systemctl start {unit}");
    }
}
