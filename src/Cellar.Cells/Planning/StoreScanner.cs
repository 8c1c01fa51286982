using System.Buffers.Binary;
using Cellar.Cells.Bolt;

namespace Cellar.Cells;

/// <summary>Finds BoltDB files (by their meta magic) and Bleve index folders under a folder.</summary>
internal static class StoreScanner
{
    public static void Scan(string root, ISet<string> boltFiles, ISet<string> bleveFolders)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var dir in Directory.EnumerateDirectories(root, "*.bleve*", options))
        {
            if (Path.GetFileName(dir).Contains(".bleve", StringComparison.Ordinal) && !Path.GetFileName(Path.GetDirectoryName(dir)!).Contains(".bleve", StringComparison.Ordinal))
            {
                bleveFolders.Add(dir);
            }
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", options))
        {
            var name = Path.GetFileName(file);
            if ((name.EndsWith(".db", StringComparison.Ordinal) || name.EndsWith(".bolt", StringComparison.Ordinal)) && HasBoltMagic(file))
            {
                boltFiles.Add(file);
            }
        }
    }

    private static bool HasBoltMagic(string path)
    {
        try
        {
            using var handle = Platform.UnlockedFile.OpenRead(path);
            Span<byte> head = stackalloc byte[BoltFormat.PageHeaderSize + 4];
            return RandomAccess.Read(handle, head, 0) == head.Length &&
                   BinaryPrimitives.ReadUInt32LittleEndian(head[BoltFormat.PageHeaderSize..]) == BoltFormat.Magic;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
