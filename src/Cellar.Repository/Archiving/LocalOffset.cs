namespace Cellar.Repository.Archiving;

/// <summary>
/// The local zone's UTC offset at an instant, as restic records it in node times, cached per
/// 15-minute slot in a small direct-mapped table: asking the time zone three times per file was a
/// measurable share of an unchanged re-backup. A slot whose two ends disagree (a transition inside
/// it) is not cached.
/// </summary>
internal static class LocalOffset
{
    private const long SlotSeconds = 900;
    private const long MinSeconds = -62135596800L;
    private const long MaxSeconds = 253402300799L;

    private const int Ways = 256;

    // Slot and offset packed in one 64-bit value so readers on other threads see a consistent pair.
    private static readonly long[] Cache = CreateCache();

    public static int At(long unixSeconds)
    {
        var slot = Math.DivRem(unixSeconds, SlotSeconds, out var rest);
        if (rest < 0)
        {
            slot--;
        }

        ref var entry = ref Cache[(int)(slot & (Ways - 1))];
        var cached = Volatile.Read(ref entry);
        if (cached != long.MinValue && (cached >> 20) == slot)
        {
            return (int)(cached & 0xFFFFF) - 0x80000;
        }

        var start = slot * SlotSeconds;
        var offset = Compute(start);
        if (Compute(start + SlotSeconds - 1) == offset && Math.Abs(slot) < (1L << 42))
        {
            Volatile.Write(ref entry, (slot << 20) | (long)(offset + 0x80000));
            return offset;
        }

        return Compute(unixSeconds);
    }

    private static long[] CreateCache()
    {
        var cache = new long[Ways];
        Array.Fill(cache, long.MinValue);
        return cache;
    }

    private static int Compute(long unixSeconds) =>
        (int)TimeZoneInfo.Local.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, MinSeconds, MaxSeconds))).TotalSeconds;
}
