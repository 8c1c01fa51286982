using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Locking;

/// <summary>
/// The content of a file in <c>locks/</c>, as restic writes it:
/// <c>{"time":…,"exclusive":…,"hostname":…,"username":…,"pid":…[,"uid":…][,"gid":…]}</c>.
/// </summary>
public sealed record LockRecord(GoTime Time, bool Exclusive, string Hostname, string Username, int Pid, uint Uid, uint Gid)
{
    /// <summary>restic treats a lock not refreshed for 30 minutes as stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);

    public static LockRecord Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var e = document.RootElement;
            e.TryGetGoProperty("exclusive", out var exclusive);
            return new LockRecord(
                e.GetGoTime("time"),
                exclusive.ValueKind == JsonValueKind.True,
                e.GetGoString("hostname") ?? "",
                e.GetGoString("username") ?? "",
                (int)e.GetGoInt64("pid"),
                e.GetGoUInt32("uid"),
                e.GetGoUInt32("gid"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"a lock file is not valid JSON: {ex.Message}", ex);
        }
    }

    public byte[] ToJson()
    {
        var w = new GoJsonWriter();
        w.StartObject();
        w.Name("time"); w.Time(Time);
        w.Name("exclusive"); w.Bool(Exclusive);
        w.Name("hostname"); w.String(Hostname);
        w.Name("username"); w.String(Username);
        w.Name("pid"); w.Number(Pid);
        if (Uid != 0)
        {
            w.Name("uid"); w.Number(Uid);
        }

        if (Gid != 0)
        {
            w.Name("gid"); w.Number(Gid);
        }

        w.EndObject();
        return w.ToArray();
    }

    /// <summary>
    /// restic's rule: stale when older than 30 minutes, or when made on this host by a process
    /// that no longer exists. A lock from another host is trusted until it times out.
    /// </summary>
    public bool IsStale(DateTimeOffset now, string thisHost)
    {
        if (now - Time.ToDateTimeOffset() > StaleAfter)
        {
            return true;
        }

        if (!string.Equals(Hostname, thisHost, StringComparison.Ordinal))
        {
            return false;
        }

        return !ProcessExists(Pid);
    }

    public override string ToString() =>
        $"{(Exclusive ? "exclusive" : "shared")} lock by PID {Pid} on {Hostname} (user {Username}) since {Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss zzz}";

    private static bool ProcessExists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (Directory.Exists("/proc/self"))
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
