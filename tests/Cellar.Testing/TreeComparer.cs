using Cellar.Repository.Platform;
using Xunit;

namespace Cellar.Testing;

/// <summary>
/// Compares two trees entry by entry, with raw (non-UTF-8) names: type, content, size, mode, times
/// to the nanosecond, owners, symlink target bytes, device numbers, FIFO-ness, which entries are
/// hard links of each other, and optionally sparseness. Returns readable differences.
/// </summary>
public static class TreeComparer
{
    /// <summary>The differences between <paramref name="expectedRoot"/> and <paramref name="actualRoot"/> (empty when equal).</summary>
    public static IReadOnlyList<string> Compare(string expectedRoot, string actualRoot, TreeComparisonOptions? options = null)
    {
        options ??= new TreeComparisonOptions();
        var differences = new List<string>();
        var expected = Scan(RawPath.FromString(expectedRoot), options);
        var actual = Scan(RawPath.FromString(actualRoot), options);
        foreach (var (path, entry) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                differences.Add($"{Show(path)}: missing ({entry.Status.Kind})");
                continue;
            }

            if (path.IsEmpty && !options.RootMetadata)
            {
                continue;
            }

            CompareEntry(path, entry, other, options, differences);
        }

        foreach (var path in actual.Keys.Where(p => !expected.ContainsKey(p)))
        {
            differences.Add($"{Show(path)}: unexpected ({actual[path].Status.Kind})");
        }

        CompareHardLinks(expected, actual, differences);
        return differences;
    }

    /// <summary>Fails the test with every difference listed when the trees differ.</summary>
    public static void AssertEqual(string expectedRoot, string actualRoot, TreeComparisonOptions? options = null)
    {
        var differences = Compare(expectedRoot, actualRoot, options);
        if (differences.Count > 0)
        {
            Assert.Fail($"{differences.Count} difference(s) between {expectedRoot} (expected) and {actualRoot} (actual):\n  " +
                        string.Join("\n  ", differences.Take(100)));
        }
    }

    private sealed record Entry(RawPath FullPath, FileStatus Status, RawPath? LinkTarget);

    private static Dictionary<RawPath, Entry> Scan(RawPath root, TreeComparisonOptions options)
    {
        var result = new Dictionary<RawPath, Entry>();
        result[RawPath.Empty] = new Entry(root, Posix.Stat(root, followSymlinks: true), null);
        var pending = new Stack<RawPath>();
        pending.Push(RawPath.Empty);
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            var full = root.Combine(relative);
            foreach (var child in Posix.ReadDirectory(full))
            {
                var childRelative = relative.Combine(child.Name);
                if (options.Ignore?.Invoke(childRelative.ToString()) == true)
                {
                    continue;
                }

                var childFull = root.Combine(childRelative);
                var status = Posix.Stat(childFull);
                var target = status.IsSymlink ? Posix.ReadLink(childFull) : (RawPath?)null;
                result[childRelative] = new Entry(childFull, status, target);
                if (status.IsDirectory)
                {
                    pending.Push(childRelative);
                }
            }
        }

        return result;
    }

    private static void CompareEntry(RawPath path, Entry expected, Entry actual, TreeComparisonOptions options, List<string> differences)
    {
        var e = expected.Status;
        var a = actual.Status;
        var name = Show(path);
        if (e.Kind != a.Kind)
        {
            differences.Add($"{name}: type {e.Kind} expected, found {a.Kind}");
            return;
        }

        if (options.Modes && e.Kind != FileKind.Symlink && e.Permissions != a.Permissions)
        {
            differences.Add($"{name}: mode {Octal(e.Permissions)} expected, found {Octal(a.Permissions)}");
        }

        if (options.ModifyTimes && e.ModifyTime != a.ModifyTime)
        {
            differences.Add($"{name}: mtime {e.ModifyTime} expected, found {a.ModifyTime}");
        }

        if (options.AccessTimes && e.AccessTime != a.AccessTime)
        {
            differences.Add($"{name}: atime {e.AccessTime} expected, found {a.AccessTime}");
        }

        if (options.Owners && (e.Uid != a.Uid || e.Gid != a.Gid))
        {
            differences.Add($"{name}: owner {e.Uid}:{e.Gid} expected, found {a.Uid}:{a.Gid}");
        }

        switch (e.Kind)
        {
            case FileKind.Symlink when expected.LinkTarget != actual.LinkTarget:
                differences.Add($"{name}: symlink target '{expected.LinkTarget}' expected, found '{actual.LinkTarget}'");
                break;
            case FileKind.CharDevice or FileKind.BlockDevice when e.RDevice != a.RDevice:
                differences.Add($"{name}: device {DeviceNumber.Major(e.RDevice)},{DeviceNumber.Minor(e.RDevice)} expected, found {DeviceNumber.Major(a.RDevice)},{DeviceNumber.Minor(a.RDevice)}");
                break;
            case FileKind.Regular:
                CompareContent(name, expected.FullPath, actual.FullPath, e, a, options, differences);
                break;
        }
    }

    private static void CompareContent(string name, RawPath expectedPath, RawPath actualPath, FileStatus e, FileStatus a, TreeComparisonOptions options, List<string> differences)
    {
        if (e.Size != a.Size)
        {
            differences.Add($"{name}: size {e.Size} expected, found {a.Size}");
            return;
        }

        using var expectedFd = Posix.Open(expectedPath, OpenFlags.ReadOnly | OpenFlags.NoFollow);
        using var actualFd = Posix.Open(actualPath, OpenFlags.ReadOnly | OpenFlags.NoFollow);
        var left = new byte[1 << 20];
        var right = new byte[1 << 20];
        for (long offset = 0; offset < e.Size; offset += left.Length)
        {
            var n = Posix.PReadFully(expectedFd, left, offset);
            var m = Posix.PReadFully(actualFd, right, offset);
            if (n != m || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, m)))
            {
                var at = left.AsSpan(0, Math.Min(n, m)).CommonPrefixLength(right.AsSpan(0, Math.Min(n, m)));
                differences.Add($"{name}: content differs at byte {offset + at}");
                return;
            }
        }

        if (options.Sparseness && e.Blocks * 512 < e.Size && a.Blocks * 512 >= a.Size)
        {
            differences.Add($"{name}: sparse expected ({e.Blocks * 512} of {e.Size} bytes allocated), found dense ({a.Blocks * 512} allocated)");
        }
    }

    // Entries that share an inode in one tree must share one in the other, and only those.
    private static void CompareHardLinks(Dictionary<RawPath, Entry> expected, Dictionary<RawPath, Entry> actual, List<string> differences)
    {
        static Dictionary<RawPath, string> Groups(Dictionary<RawPath, Entry> tree)
        {
            var byInode = tree.Where(kv => !kv.Value.Status.IsDirectory && kv.Value.Status.Links > 1)
                .GroupBy(kv => (kv.Value.Status.Device, kv.Value.Status.Inode));
            var result = new Dictionary<RawPath, string>();
            foreach (var group in byInode)
            {
                var members = string.Join(", ", group.Select(kv => Show(kv.Key)).Order(StringComparer.Ordinal));
                foreach (var (path, _) in group)
                {
                    result[path] = members;
                }
            }

            return result;
        }

        var expectedGroups = Groups(expected);
        var actualGroups = Groups(actual);
        foreach (var path in expected.Keys.Where(actual.ContainsKey))
        {
            expectedGroups.TryGetValue(path, out var e);
            actualGroups.TryGetValue(path, out var a);
            if (e != a)
            {
                differences.Add($"{Show(path)}: hard-linked with [{e ?? "nothing"}] expected, found [{a ?? "nothing"}]");
            }
        }
    }

    private static string Show(RawPath path) => path.IsEmpty ? "(root)" : path.ToString();

    private static string Octal(uint mode) => Convert.ToString(mode, 8).PadLeft(4, '0');
}
