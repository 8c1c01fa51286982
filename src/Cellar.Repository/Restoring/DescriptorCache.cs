using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// A bounded set of open descriptors keyed by what they belong to (a planned file or folder, by reference), least recently used closed first (a lease
/// keeps an evicted one usable until released). Opening happens outside the cache's lock.
/// </summary>
internal sealed class DescriptorCache<TKey>(int capacity, Func<TKey, FileDescriptor> open) : IDisposable
    where TKey : class
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, FileDescriptor Fd)>> _map = new(ReferenceEqualityComparer.Instance);
    private readonly LinkedList<(TKey Key, FileDescriptor Fd)> _order = new();
    private readonly object _gate = new();

    public HandleLease Rent(TKey key)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return new HandleLease(node.Value.Fd);
            }
        }

        // Opening (which may create the file) happens outside the lock, so workers open in parallel.
        var fd = open(key);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var raced))
            {
                fd.Dispose();
                return new HandleLease(raced.Value.Fd);
            }

            var lease = new HandleLease(fd);
            _map[key] = _order.AddFirst((key, fd));
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                last.Value.Fd.Dispose();
            }

            return lease;
        }
    }

    /// <summary>Closes the descriptor for a key, if open.</summary>
    public void Close(TKey key)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
                node.Value.Fd.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (_, fd) in _order)
            {
                fd.Dispose();
            }

            _order.Clear();
            _map.Clear();
        }
    }
}
