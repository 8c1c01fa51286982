using System.Buffers;

namespace Cellar.Repository.Chunking;

/// <summary>
/// The pool chunk buffers come from. A pool of its own, without per-thread caches: the shared
/// pool keeps a buffer per size per thread, and chunks are rented by readers and returned by
/// hashers on ever other threads, so it held far more megabytes than the few chunks in flight.
/// Here a buffer is only created when none is free, so what is kept is what was in use at once.
/// </summary>
internal static class ChunkBuffers
{
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(SplitPointFinder.MaxSize, 16);
}
