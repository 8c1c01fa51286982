namespace Cellar.Repository.Packs;

/// <summary>
/// Buffers for whole packs, all of one exact size (the shared ArrayPool would round a 17 MiB
/// request up to 32 MiB). Keeps a few for reuse; a backup has only a handful of packs in flight.
/// </summary>
internal static class PackBufferPool
{
    /// <summary>Room for a full pack: its blobs, plus a generous header.</summary>
    public const int BufferSize = PackWriter.TargetSize + (1024 * 1024);

    private const int Kept = 6;
    private static readonly System.Collections.Concurrent.ConcurrentBag<byte[]> Free = [];

    public static byte[] Rent() => Free.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(BufferSize);

    public static void Return(byte[] buffer)
    {
        if (buffer.Length == BufferSize && Free.Count < Kept)
        {
            Free.Add(buffer);
        }
    }
}
