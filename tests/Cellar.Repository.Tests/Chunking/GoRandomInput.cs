using Cellar.Testing;

namespace Cellar.Repository.Tests.Chunking;

/// <summary>
/// The pseudo-random input restic's chunker test vectors were computed over: Go's math/rand
/// seeded with 23, Uint32 values written little-endian. Generated with the Go toolchain (a small
/// program written here), once per test run; tests skip when Go is absent.
/// </summary>
internal static class GoRandomInput
{
    private static readonly Lazy<Task<byte[]?>> Data = new(GenerateAsync);

    public static async Task<byte[]> RequireAsync()
    {
        var data = await Data.Value.ConfigureAwait(false);
        if (data is null)
        {
            Assert.Skip("The Go toolchain is needed to generate the reference input (Go's math/rand with seed 23).");
        }

        return data;
    }

    private static async Task<byte[]?> GenerateAsync()
    {
        var go = ExternalTool.Find("go");
        if (go is null)
        {
            return null;
        }

        var dir = Directory.CreateTempSubdirectory("cellar-gorand-").FullName;
        try
        {
            var program = Path.Combine(dir, "main.go");
            var output = Path.Combine(dir, "random.bin");
            await File.WriteAllTextAsync(program, """
                package main

                import (
                	"encoding/binary"
                	"math/rand"
                	"os"
                )

                func main() {
                	r := rand.New(rand.NewSource(23))
                	buf := make([]byte, 32*1024*1024)
                	for i := 0; i < len(buf); i += 4 {
                		binary.LittleEndian.PutUint32(buf[i:], r.Uint32())
                	}
                	if err := os.WriteFile(os.Args[1], buf, 0o600); err != nil {
                		panic(err)
                	}
                }
                """).ConfigureAwait(false);
            var env = new Dictionary<string, string>
            {
                ["GOCACHE"] = Path.Combine(dir, "cache"),
                ["GOPATH"] = Path.Combine(dir, "gopath"),
                ["GO111MODULE"] = "off",
                ["GOFLAGS"] = "",
            };
            var (exit, _, error) = await ExternalTool.RunAsync(go, ["run", program, output], env, dir).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new InvalidOperationException("go run failed: " + error);
            }

            return await File.ReadAllBytesAsync(output).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
