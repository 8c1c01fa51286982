using Cellar.Repository.Platform;

namespace Cellar.Repository.Restoring;

/// <summary>
/// A bounded set of open descriptors keyed by number, least recently used closed first (a lease
/// keeps an evicted one usable until released). Opening happens outside the cache's lock.
/// </summary>
internal sealed class DescriptorCache(int capacity, Func<int, FileDescriptor> open) : IDisposable
{
    private readonly Dictionary<int, LinkedListNode<(int Key, FileDescriptor Fd)>> _map = [];
    private readonly LinkedList<(int Key, FileDescriptor Fd)> _order = new();
    private readonly object _gate = new();

    public HandleLease Rent(int key)
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
    public void Close(int key)
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
