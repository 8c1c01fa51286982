using Cellar.Repository.Platform;

namespace Cellar.Testing;

/// <summary>
/// Generates a source tree as hard as backup and restore get: names that are not UTF-8, hard links
/// (also across folders), FIFOs, device nodes (root), empty folders, empty and sparse files, deep
/// paths, setuid/setgid/sticky bits, read-only files and folders, symlinks (relative, absolute,
/// dangling, non-UTF-8 targets), times with nanoseconds on everything (folders and symlinks too),
/// other owners (root), and files from 0 B up to <see cref="TrickyTreeOptions.MaxFileSize"/>.
/// </summary>
public static class TrickyTree
{
    /// <summary>Fills <paramref name="root"/> (created if missing) and returns what was made.</summary>
    public static TrickyTreeSummary Generate(string root, TrickyTreeOptions? options = null)
    {
        options ??= new TrickyTreeOptions();
        Directory.CreateDirectory(root);
        var builder = new Builder(RawPath.FromString(root), options);
        builder.Build();
        return builder.Summary;
    }

    private sealed class Builder(RawPath root, TrickyTreeOptions options)
    {
        private readonly Random _random = new(options.Seed);
        private readonly List<(RawPath Path, FileKind Kind, uint Mode, uint? Uid, uint? Gid)> _finish = [];
        private readonly bool _root = Posix.IsRoot;
        private int _files;
        private long _bytes;

        public TrickyTreeSummary Summary => new(_files, _bytes, _finish.Count);

        public void Build()
        {
            Plain();
            Names();
            Links();
            Special();
            Modes();
            Empty();
            if (options.Sparse)
            {
                SparseFiles();
            }

            Deep();
            Finish();
        }

        private void Plain()
        {
            var dir = Dir("plain");
            long[] sizes = [0, 1, 2, 100, 4095, 4096, 4097, 65_535, 65_536, 65_537, 512 * 1024 + 3, 1024 * 1024, (2 * 1024 * 1024) + 11];
            foreach (var size in sizes.Where(s => s <= options.MaxFileSize))
            {
                File(dir.Combine($"size-{size}.bin"), size, compressible: size % 2 == 0);
            }

            if (options.MaxFileSize > 2 * 1024 * 1024)
            {
                File(dir.Combine("large-random.bin"), options.MaxFileSize, compressible: false);
                File(dir.Combine("large-text.txt"), options.MaxFileSize / 3, compressible: true);
            }

            for (var i = 0; i < options.SmallFiles; i++)
            {
                var sub = Dir($"plain/docs-{i % 4}");
                File(sub.Combine($"doc-{i:D4}.txt"), _random.Next(0, 64 * 1024), compressible: i % 3 != 0);
            }
        }

        private void Names()
        {
            var dir = Dir("names");
            byte[][] names =
            [
                [0x66, 0xFF, 0xFE, 0x2E, 0x62, 0x69, 0x6E],            // "f\xff\xfe.bin"
                [0x63, 0x61, 0x66, 0xE9],                                // "caf\xe9" (Latin-1)
                [0xC3, 0x28, 0x62, 0x61, 0x64],                          // broken 2-byte sequence
                "Ünïcødé ✓ 日本語.txt"u8.ToArray(),
                "with space and\ttab"u8.ToArray(),
                "new\nline"u8.ToArray(),
                "back\\slash"u8.ToArray(),
                "-leading-dash"u8.ToArray(),
                ".hidden"u8.ToArray(),
                "..double-dot-prefix"u8.ToArray(),
                "*?[glob]{chars}"u8.ToArray(),
                Enumerable.Repeat((byte)'n', 255).ToArray(),             // the longest name
            ];
            foreach (var name in names)
            {
                File(dir.Combine(new RawPath(name)), _random.Next(0, 3000), compressible: true);
            }

            var odd = Dir(new RawPath([0x64, 0x69, 0x72, 0xFF]), dir);   // "dir\xff"
            File(odd.Combine("inside.txt"), 10, compressible: true);
        }

        private void Links()
        {
            var dir = Dir("links");
            var other = Dir("links/other");
            var original = dir.Combine("original");
            File(original, 20_000, compressible: false);
            Posix.LinkAt(FileDescriptor.CurrentDirectory, original, FileDescriptor.CurrentDirectory, dir.Combine("hardlink-same-dir"));
            Posix.LinkAt(FileDescriptor.CurrentDirectory, original, FileDescriptor.CurrentDirectory, other.Combine("hardlink-other-dir"));
            var empty = dir.Combine("empty-original");
            File(empty, 0, compressible: true);
            Posix.LinkAt(FileDescriptor.CurrentDirectory, empty, FileDescriptor.CurrentDirectory, dir.Combine(new RawPath([0x68, 0x6C, 0xFF])));

            Symlink(dir.Combine("relative"), "original");
            Symlink(dir.Combine("to-dir"), "other");
            Symlink(dir.Combine("up-and-over"), "../plain/size-100.bin");
            Symlink(dir.Combine("absolute"), "/etc/hostname");
            Symlink(dir.Combine("dangling"), "does/not/exist");
            Symlink(dir.Combine(new RawPath([0x6C, 0xE9])), "café");
            if (options.NonUtf8SymlinkTargets)
            {
                Symlink(dir.Combine("non-utf8-target"), new RawPath([0x74, 0xFF, 0xFE, 0x2F, 0x78]));
                Symlink(dir.Combine("latin1-target"), new RawPath([0x63, 0x61, 0x66, 0xE9]));
            }
            Symlink(dir.Combine("long-target"), new string('x', 1000));
        }

        private void Special()
        {
            var dir = Dir("special");
            var fifo = dir.Combine("fifo");
            Posix.MakeFifoAt(FileDescriptor.CurrentDirectory, fifo, 0x1A0);
            Record(fifo, FileKind.Fifo, 0x1A0); // 0640
            var fifo2 = dir.Combine(new RawPath([0x66, 0x69, 0x66, 0x6F, 0xFF]));
            Posix.MakeFifoAt(FileDescriptor.CurrentDirectory, fifo2, 0x1B6);
            Record(fifo2, FileKind.Fifo, 0x180); // 0600
            if (_root && options.Devices)
            {
                var chr = dir.Combine("null-like");
                Posix.MakeNodeAt(FileDescriptor.CurrentDirectory, chr, FileModes.CharDevice | 0x1B6, DeviceNumber.Make(1, 3));
                Record(chr, FileKind.CharDevice, 0x1B6);
                var blk = dir.Combine("block-like");
                Posix.MakeNodeAt(FileDescriptor.CurrentDirectory, blk, FileModes.BlockDevice | 0x180, DeviceNumber.Make(7, 200));
                Record(blk, FileKind.BlockDevice, 0x180);
            }
        }

        private void Modes()
        {
            var dir = Dir("modes");
            File(dir.Combine("setuid"), 100, compressible: true, mode: 0x9ED);        // 04755
            File(dir.Combine("setgid"), 100, compressible: true, mode: 0x5ED);        // 02755
            File(dir.Combine("sticky-file"), 10, compressible: true, mode: 0x3A4);    // 01644
            File(dir.Combine("all-bits"), 10, compressible: true, mode: 0xFFF);       // 07777
            File(dir.Combine("read-only-0400"), 5000, compressible: true, mode: 0x100);
            if (_root)
            {
                File(dir.Combine("mode-0000"), 30, compressible: true, mode: 0); // unreadable to all but root
            }

            File(dir.Combine("group-writable-0664"), 30, compressible: true, mode: 0x1B4);
            File(dir.Combine("executable-0711"), 30, compressible: true, mode: 0x1C9);
            Dir("modes/sticky-dir-1777", mode: 0x3FF);
            var setgidDir = Dir("modes/setgid-dir-2775", mode: 0x5FD);
            File(setgidDir.Combine("in-setgid"), 10, compressible: true);
            var readOnly = Dir("modes/read-only-dir-0555", mode: 0x16D);
            File(readOnly.Combine("inside-read-only"), 2000, compressible: true, mode: 0x124);
            Dir("modes/private-dir-0700", mode: 0x1C0);
            if (_root && options.Owners)
            {
                File(dir.Combine("owned-1234-5678"), 100, compressible: true, uid: 1234, gid: 5678);
                File(dir.Combine("owned-daemon"), 100, compressible: true, uid: 1, gid: 1);
                File(dir.Combine("setuid-owned-1234"), 100, compressible: true, mode: 0xDED, uid: 1234, gid: 4321); // 06755
                Dir("modes/dir-owned-4242", mode: 0x1ED, uid: 4242, gid: 4343);
            }
        }

        private void Empty()
        {
            Dir("empty");
            Dir("empty-nested/a/b/c");
        }

        private void SparseFiles()
        {
            var dir = Dir("sparse");
            var holey = dir.Combine("holes-in-middle.bin");
            using (var fd = Posix.Open(holey, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4))
            {
                var data = Bytes(8192, compressible: false);
                Posix.PWrite(fd, data, 0);
                Posix.PWrite(fd, data, 5 * 1024 * 1024);
                Posix.PWrite(fd, data, (12 * 1024 * 1024) - 8192);
                Posix.Truncate(fd, 12 * 1024 * 1024);
            }

            Counted(12 * 1024 * 1024);
            Record(holey, FileKind.Regular, 0x1A4);
            var allHole = dir.Combine("all-hole.bin");
            using (var fd = Posix.Open(allHole, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4))
            {
                Posix.Truncate(fd, 8 * 1024 * 1024);
            }

            Counted(8 * 1024 * 1024);
            Record(allHole, FileKind.Regular, 0x1A4);
            var trailing = dir.Combine("hole-at-end.bin");
            using (var fd = Posix.Open(trailing, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x1A4))
            {
                Posix.PWrite(fd, Bytes(100_000, compressible: true), 0);
                Posix.Truncate(fd, 3 * 1024 * 1024);
            }

            Counted(3 * 1024 * 1024);
            Record(trailing, FileKind.Regular, 0x1A4);
        }

        private void Deep()
        {
            var relative = string.Join('/', Enumerable.Range(0, 40).Select(i => $"level-{i:D2}-abcdefghijklmnop"));
            var deepest = Dir("deep/" + relative);
            File(deepest.Combine("bottom.txt"), 1234, compressible: true);
        }

        private RawPath Dir(string relative, uint mode = 0x1ED, uint? uid = null, uint? gid = null)
        {
            var path = root;
            foreach (var part in relative.Split('/'))
            {
                path = Dir(RawPath.FromString(part), path, part == relative.Split('/')[^1] ? mode : 0x1ED, uid, gid);
            }

            return path;
        }

        private RawPath Dir(RawPath name, RawPath parent, uint mode = 0x1ED, uint? uid = null, uint? gid = null)
        {
            var path = parent.Combine(name);
            if (Posix.TryStat(path, out _))
            {
                return path;
            }

            Posix.MakeDirectoryAt(FileDescriptor.CurrentDirectory, path, 0x1C0);
            Record(path, FileKind.Directory, mode, uid, gid);
            return path;
        }

        private void File(RawPath path, long size, bool compressible, uint mode = 0x1A4, uint? uid = null, uint? gid = null)
        {
            using (var fd = Posix.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive, 0x180))
            {
                const int chunk = 1024 * 1024;
                for (long offset = 0; offset < size; offset += chunk)
                {
                    Posix.PWrite(fd, Bytes((int)Math.Min(chunk, size - offset), compressible), offset);
                }
            }

            Counted(size);
            Record(path, FileKind.Regular, mode, uid, gid);
        }

        private void Symlink(RawPath path, RawPath target)
        {
            Posix.SymlinkAt(target, FileDescriptor.CurrentDirectory, path);
            Record(path, FileKind.Symlink, 0x1FF);
        }

        private void Counted(long size)
        {
            _files++;
            _bytes += size;
        }

        private void Record(RawPath path, FileKind kind, uint mode, uint? uid = null, uint? gid = null) =>
            _finish.Add((path, kind, mode, uid, gid));

        private byte[] Bytes(int count, bool compressible)
        {
            var data = new byte[count];
            if (!compressible)
            {
                _random.NextBytes(data);
                return data;
            }

            // Text-like: words from a small alphabet, so it compresses but is not trivial.
            ReadOnlySpan<byte> alphabet = "abcdefghij klmnop\nqrstu"u8;
            for (var i = 0; i < count; i++)
            {
                data[i] = alphabet[_random.Next(alphabet.Length)];
            }

            return data;
        }

        // Owners, then modes (chown clears setuid), then times; children before their folders.
        private void Finish()
        {
            for (var i = _finish.Count - 1; i >= 0; i--)
            {
                var (path, kind, mode, uid, gid) = _finish[i];
                if (_root && options.Owners && uid is not null)
                {
                    Posix.ChownAt(FileDescriptor.CurrentDirectory, path, uid.Value, gid ?? uid.Value);
                }

                if (kind != FileKind.Symlink)
                {
                    Posix.ChmodAt(FileDescriptor.CurrentDirectory, path, mode);
                }

                var seconds = 1_500_000_000L + _random.Next(0, 200_000_000);
                var mtime = new PosixTime(seconds, (uint)_random.Next(0, 1_000_000_000));
                var atime = new PosixTime(seconds + _random.Next(0, 1000), (uint)_random.Next(0, 1_000_000_000));
                Posix.SetTimesAt(FileDescriptor.CurrentDirectory, path, atime, mtime);
            }
        }
    }
}
