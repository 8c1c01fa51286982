using System.Security.Cryptography;

namespace Cellar.Repository.Tests;

/// <summary>A small source tree for backups: text, binary, empty, a subdirectory, a symlink.</summary>
internal static class SourceTree
{
    public static Dictionary<string, byte[]> Create(string root)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["hello.txt"] = "hello, world\n"u8.ToArray(),
            ["empty"] = [],
            ["sub/random.bin"] = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17),
            ["sub/deeper/text.txt"] = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible line of text\n", 20000))),
        };
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        File.CreateSymbolicLink(Path.Combine(root, "link"), "hello.txt");
        return files;
    }
}
