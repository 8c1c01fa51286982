using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cellar.Cells.Installation;
using Cellar.Repository.Platform;

namespace Cellar.Cells.Demo;

/// <summary>A small Cells v5 installation for <c>cellar demo</c> (its SQL database given by DSN, see <see cref="DemoDatabase"/>), and a fingerprint of its files to compare after the restore.</summary>
internal static class DemoInstallation
{
    /// <summary>Writes the installation; <paramref name="dsn"/> is the database's DSN with its scheme (<c>sqlite://</c>, <c>mysql://</c>, <c>postgres://</c>).</summary>
    public static void Create(string workingDir, string externalFolder, string dsn)
    {
        var data = Path.Combine(workingDir, "data");
        var services = Path.Combine(workingDir, "services");
        Write(Path.Combine(data, "pydiods1", ".pydio"), "{\"uuid\":\"pydiods1\"}");
        Write(Path.Combine(data, "pydiods1", "Welcome.md"), "# Welcome to Cells\nThis file was backed up and restored by cellar demo.\n");
        Write(Path.Combine(data, "pydiods1", "photos", "holiday.jpg"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(300_000)));
        Write(Path.Combine(data, "personal", "admin", "notes.txt"), "personal notes\n");
        Write(Path.Combine(data, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        Write(Path.Combine(externalFolder, "archive", "4a1f0c5e-demo-flat-object"), "a file of a flat datasource outside the working dir\n");
        Write(Path.Combine(externalFolder, ".minio.sys", "format.json"), "{\"version\":\"1\"}");
        Write(Path.Combine(workingDir, "pydio-vault.json"), "{\"demo\":\"encrypted\"}");
        Write(Path.Combine(workingDir, "cells-vault-key"), "{\"key\":\"demo master key\"}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(workingDir, "cells-vault-key"), UnixFileMode.UserRead);
        }
        Write(Path.Combine(workingDir, "logs", "pydio.log"), "{\"level\":\"info\",\"msg\":\"started\"}\n");
        Write(Path.Combine(services, "pydio.grpc.search", "searchengine.bleve", "index_meta.json"), "{\"storage\":\"scorch\"}");
        foreach (var store in new[] { Path.Combine(workingDir, "configs-versions.db"), Path.Combine(services, "pydio.grpc.activity", "activities.db"), Path.Combine(services, "pydio.grpc.docstore", "docstore.db") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(store)!);
            EmptyBoltFile.Write(store);
        }

        JsonObject Local(string name, string folder) => new()
        {
            ["Name"] = name,
            ["FlatStorage"] = true,
            ["ObjectsServiceName"] = "local1",
            ["ObjectsBucket"] = name,
            ["StorageConfiguration"] = new JsonObject { ["folder"] = folder },
        };
        // A fresh Cells v5 install (discovery/install/lib/database.go): driver "sql", the engine in the DSN's
        // scheme, Cells' template parameters appended, and the entry copied inline into defaults.database.
        var full = dsn + (dsn.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "prefix={{.Meta.prefix}}&policies={{.Meta.policies}}&singular={{.Meta.singular}}";
        var key = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(full)));
        var config = new JsonObject
        {
            ["version"] = "5.0.0",
            ["databases"] = new JsonObject
            {
                [key] = new JsonObject { ["driver"] = "sql", ["dsn"] = full },
                ["boltdb"] = new JsonObject { ["driver"] = "bolt", ["dsn"] = "boltdb://{{ autoMkdir (serviceDataDir .Service) }}/{{ .Meta.file }}" },
                ["bleve"] = new JsonObject { ["driver"] = "bleve", ["dsn"] = "bleve://{{ autoMkdir (serviceDataDir .Service) }}/{{ .Meta.file }}?rotationSize=-1" },
            },
            ["defaults"] = new JsonObject { ["database"] = new JsonObject { ["driver"] = "sql", ["dsn"] = full } },
            ["services"] = new JsonObject
            {
                ["pydio.grpc.data.sync"] = new JsonObject { ["sources"] = new JsonArray("pydiods1", "personal", "archive") },
                ["pydio.grpc.data.objects.local1"] = new JsonObject { ["Name"] = "local1", ["LocalFolder"] = data },
                ["pydio.grpc.data.sync.pydiods1"] = Local("pydiods1", Path.Combine(data, "pydiods1")),
                ["pydio.grpc.data.sync.personal"] = Local("personal", Path.Combine(data, "personal")),
                ["pydio.grpc.data.sync.archive"] = Local("archive", Path.Combine(externalFolder, "archive")),
            },
        };
        Write(Path.Combine(workingDir, "pydio.json"), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Every entry below the folders: path, type, owner, mode, mtime and content hash; for the SQLite
    /// <paramref name="databaseFile"/> all but the content, which the demo compares row by row.
    /// </summary>
    public static SortedDictionary<string, string> Fingerprint(string? databaseFile, params string[] folders)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Prepend(folder))
            {
                var status = Posix.Stat(RawPath.FromString(entry));
                var content = entry == databaseFile ? "(rows compared)" : status.Kind == FileKind.Regular ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry))) : "";
                result[entry] = $"{status.Kind} {status.Uid}:{status.Gid} {Convert.ToString(status.Permissions, 8)} {status.ModifyTime} {content}";
            }
        }

        return result;
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
