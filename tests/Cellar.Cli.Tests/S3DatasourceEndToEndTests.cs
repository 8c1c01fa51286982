using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// A Cells installation whose datasource lives in S3 (a real s3rver on loopback, its secret sealed
/// in the vault under the keyring) and whose database is a real MariaDB: one <c>cellar backup</c>
/// takes files, tables and objects; <c>cellar restore latest</c> brings all three back.
/// </summary>
public sealed class S3DatasourceEndToEndTests(MariaDbServer database, S3Server s3) : IClassFixture<MariaDbServer>, IClassFixture<S3Server>
{
    private static int _buckets;

    [Fact]
    public async Task Backup_with_no_paths_then_restore_latest_brings_back_every_object_file_and_table()
    {
        using var root = new TempDirectory("cellar-s3ds-roundtrip");
        var site = await NewSiteAsync(root, objects: 60, prefix: "cells/archive");
        var objectsBefore = await DescribeBucketAsync(site.Bucket);
        var tablesBefore = await DescribeTablesAsync(site.Db);
        var expected = root.Combine("expected");
        (await ExternalTool.RunAsync(ExternalTool.Require("cp"), ["-a", site.Install.WorkingDir, expected])).ExitCode.ShouldBe(0);

        var (code, output, error) = await CliHarness.RunAsync(site.Env, "backup");
        code.ShouldBe(0, output + error);
        output.ShouldContain($"S3 datasource archive: {objectsBefore.Count} objects");

        await EmptyBucketAsync(site.Bucket);
        Directory.Delete(site.Install.WorkingDir, recursive: true);
        Directory.Delete(site.Install.ExternalFolder, recursive: true);
        await database.ExecuteAsync($"DROP DATABASE `{site.Db}`");
        await database.ExecuteAsync($"CREATE DATABASE `{site.Db}`");

        (code, output, error) = await CliHarness.RunAsync(site.Env, "restore", "latest");
        code.ShouldBe(0, output + error);
        (await DescribeBucketAsync(site.Bucket)).ShouldBe(objectsBefore);
        (await DescribeTablesAsync(site.Db)).ShouldBe(tablesBefore);
        TreeComparer.AssertEqual(expected, site.Install.WorkingDir, new TreeComparisonOptions { RootMetadata = true });

        // The bucket holds objects again: a second restore refuses without --force and writes nothing.
        await EmptyTablesAsync(site.Db);
        (code, output, error) = await CliHarness.RunAsync(site.Env, "restore", "latest");
        code.ShouldBe(1, output + error);
        error.ShouldContain("S3 datasource archive");
        error.ShouldContain("--force");
    }

    [Fact]
    public async Task A_second_backup_after_2_percent_of_the_objects_changed_downloads_only_those()
    {
        using var root = new TempDirectory("cellar-s3ds-incremental");
        var site = await NewSiteAsync(root, objects: 100, size: 3000);
        var (code, output, error) = await CliHarness.RunAsync(site.Env, "backup");
        code.ShouldBe(0, output + error);
        output.ShouldContain("S3: 100 objects downloaded");

        using (var client = Client())
        {
            foreach (var i in new[] { 7, 42 })
            {
                await PutAsync(client, site.Bucket, ObjectKey(i), RandomNumberGenerator.GetBytes(3000 + i), new Dictionary<string, string> { ["pydio-changed"] = "yes" });
            }
        }

        (code, output, error) = await CliHarness.RunAsync(site.Env, "backup");
        code.ShouldBe(0, output + error);
        output.ShouldContain("S3 datasource archive: 98 objects unchanged since snapshot");
        output.ShouldContain("S3: downloading 2 objects");
        output.ShouldContain("S3: 2 objects downloaded");

        // The second snapshot alone restores all 100 objects, the 2 new versions among them.
        var expected = await DescribeBucketAsync(site.Bucket);
        var target = await NewBucketAsync();
        Directory.Delete(site.Install.ExternalFolder, recursive: true); // restored where it was; the working dir moves
        (code, output, error) = await CliHarness.RunAsync(site.Env, "restore", "latest", "--cells-dir", root.Combine("moved"), "--db-dsn", database.RootDsn(await database.CreateDatabaseAsync("s3dsmoved")), "--s3-target", $"s3:{s3.Endpoint}/{target}");
        code.ShouldBe(0, output + error);
        (await DescribeBucketAsync(target)).ShouldBe(expected);
    }

    [Fact]
    public async Task The_S3_server_stopped_for_3_seconds_mid_backup_is_retried_or_fails_cleanly_and_the_next_backup_succeeds()
    {
        using var root = new TempDirectory("cellar-s3ds-outage");
        var site = await NewSiteAsync(root, objects: 250, size: 200_000);
        var downloading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new WatchingWriter("S3: downloading", downloading);
        var error = new StringWriter();
        var environment = new CliEnvironment { Out = output, Error = error, IsTerminal = false, GetVariable = name => site.Env.GetValueOrDefault(name) };
        var backup = CliApp.RunAsync(["backup"], environment, TestContext.Current.CancellationToken);
        await downloading.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        await s3.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        await s3.StartAsync();
        var code = await backup;

        TestContext.Current.TestOutputHelper?.WriteLine($"first run after the outage: exit code {code}\n{output}\n{error}");
        var tags = await SnapshotTagsAsync(site.Env);
        tags.ShouldNotContain(t => t.Contains("cells-s3-stage"), "the temporary snapshot of downloaded objects is always removed");
        if (code == 0)
        {
            output.ToString().ShouldContain("S3: 250 objects downloaded");
            output.ToString().ShouldContain("retrying");
            tags.Count(t => t.Contains("cells")).ShouldBe(1);
        }
        else
        {
            code.ShouldBe(1, output + error.ToString());
            error.ToString().ShouldContain("S3 datasource archive");
            tags.ShouldNotContain(t => t.Contains("cells"), "a failed backup leaves no installation snapshot");
        }

        var (again, againOut, againError) = await CliHarness.RunAsync(site.Env, "backup");
        again.ShouldBe(0, againOut + againError);

        // Whatever the first run did, the newest installation snapshot holds every object.
        var expected = await DescribeBucketAsync(site.Bucket);
        var target = await NewBucketAsync();
        Directory.Delete(site.Install.ExternalFolder, recursive: true); // restored where it was; the working dir moves
        var (restored, restoreOut, restoreError) = await CliHarness.RunAsync(site.Env, "restore", "latest", "--cells-dir", root.Combine("moved"), "--db-dsn", database.RootDsn(await database.CreateDatabaseAsync("s3dsoutage")), "--s3-target", $"s3:{s3.Endpoint}/{target}");
        restored.ShouldBe(0, restoreOut + restoreError);
        (await DescribeBucketAsync(target)).ShouldBe(expected);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Wrong_credentials_are_one_sentence_naming_the_datasource_and_save_no_snapshot()
    {
        using var root = new TempDirectory("cellar-s3ds-secret");
        var site = await NewSiteAsync(root, objects: 3);
        var credentials = root.Combine("credentials");
        // s3rver checks the access key but not SigV4 signatures, so a wrong secret alone passes there:
        // the refused credentials are a wrong key pair (a real S3 answers a wrong secret the same way, 403).
        await File.WriteAllTextAsync(credentials, "archive NOT-A-KEY not-the-secret\n");
        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (code, output, error) = await CliHarness.RunAsync(site.Env, "backup", "--datasource-credentials", credentials);

        code.ShouldBe(1, output + error);
        var message = error.Trim();
        message.ShouldContain("S3 datasource archive");
        message.ShouldContain("access denied");
        message.Split('\n').Length.ShouldBe(1, message);
        (await SnapshotTagsAsync(site.Env)).ShouldBeEmpty();

        // A credentials file others may read is refused before anything is tried.
        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        (code, output, error) = await CliHarness.RunAsync(site.Env, "backup", "--datasource-credentials", credentials);
        code.ShouldBe(1, output + error);
        error.ShouldContain("chmod 600");
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_one_sentence_naming_the_datasource()
    {
        using var root = new TempDirectory("cellar-s3ds-unreachable");
        var site = await NewSiteAsync(root, objects: 0, endpoint: "http://127.0.0.1:9");

        var (code, output, error) = await CliHarness.RunAsync(site.Env, "backup");

        code.ShouldBe(1, output + error);
        var message = error.Trim();
        message.ShouldContain("S3 datasource archive");
        message.ShouldContain("cannot reach http://127.0.0.1:9");
        message.Split('\n').Length.ShouldBe(1, message);
        (await SnapshotTagsAsync(site.Env)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cells_inspect_shows_the_object_count_and_size_of_the_S3_datasource_from_a_listing()
    {
        using var root = new TempDirectory("cellar-s3ds-inspect");
        var site = await NewSiteAsync(root, objects: 12, size: 1024);

        var (code, output, error) = await CliHarness.RunAsync(site.Env, "cells", "inspect", "--no-db");
        code.ShouldBe(0, output + error);
        output.ShouldContain($"archive: S3, {s3.Endpoint}/{site.Bucket}: 12 objects, 12.000 KiB");

        (code, output, error) = await CliHarness.RunAsync(site.Env, "cells", "inspect", "--no-db", "--json");
        code.ShouldBe(0, output + error);
        using var json = JsonDocument.Parse(output);
        var usage = json.RootElement.GetProperty("objectStorage").EnumerateArray().Single();
        usage.GetProperty("objects").GetInt64().ShouldBe(12);
        usage.GetProperty("bytes").GetInt64().ShouldBe(12 * 1024);
        json.RootElement.GetProperty("datasources").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "archive").GetProperty("backedUp").GetBoolean().ShouldBeTrue();
    }

    private sealed record Site(CellsInstallation Install, string Db, string Bucket, Dictionary<string, string> Env);

    private async Task<Site> NewSiteAsync(TempDirectory root, int objects, int size = 0, string prefix = "", string? endpoint = null)
    {
        var db = await database.CreateDatabaseAsync("s3ds");
        await database.ExecuteAsync(
            "CREATE TABLE data_index_archive_idx_tree (uuid VARCHAR(128) PRIMARY KEY, mpath VARCHAR(255), etag VARCHAR(64), size BIGINT) ENGINE=InnoDB;" +
            "INSERT INTO data_index_archive_idx_tree VALUES ('n1','1','etag-1',10),('n2','1.1',NULL,0);",
            db);
        var bucket = await NewBucketAsync();
        using (var client = Client())
        {
            for (var i = 0; i < objects; i++)
            {
                var bytes = size > 0 ? RandomNumberGenerator.GetBytes(size) : Encoding.UTF8.GetBytes($"object {i} " + new string('x', i * 37));
                await PutAsync(client, bucket, (prefix.Length == 0 ? "" : prefix + "/") + ObjectKey(i), bytes, new Dictionary<string, string> { ["pydio-node-uuid"] = $"uuid-{i}" }, i % 3 == 0 ? "text/plain" : "application/octet-stream");
            }

            if (objects > 0 && size == 0)
            {
                // Keys a file system cannot hold as they are: a folder marker, a key that is also a folder
                // (s3rver cannot store keys with empty parts such as "a//b"; the key-path tests cover those).
                var p = prefix.Length == 0 ? "" : prefix + "/";
                await PutAsync(client, bucket, p + "folder/", [], new Dictionary<string, string>());
                await PutAsync(client, bucket, p + "both", Encoding.UTF8.GetBytes("file and folder"), new Dictionary<string, string>());
                await PutAsync(client, bucket, p + "both/inner", Encoding.UTF8.GetBytes("inside"), new Dictionary<string, string>());
                await PutAsync(client, bucket, p + "ünïcode näme.txt", Encoding.UTF8.GetBytes("ü"), new Dictionary<string, string>());
            }
        }

        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V4, database.RootDsn(db), realBoltStores: true,
            options: new CellsInstallationOptions { S3 = new CellsS3Datasource(endpoint ?? s3.Endpoint, bucket, S3Server.AccessKey, S3Server.SecretKey, prefix) });
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        return new Site(install, db, bucket, env);
    }

    private static string ObjectKey(int i) => $"pydiods/folder{i % 5}/file{i:D3}.bin";

    private async Task<string> NewBucketAsync()
    {
        var bucket = $"cells-ds-{Interlocked.Increment(ref _buckets)}-{Environment.ProcessId}";
        using var client = Client();
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    private AmazonS3Client Client() => new(
        new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config
        {
            ServiceURL = s3.Endpoint + "/",
            ForcePathStyle = true,
            UseHttp = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    private static async Task PutAsync(AmazonS3Client client, string bucket, string key, byte[] bytes, Dictionary<string, string> metadata, string contentType = "application/octet-stream")
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false, ContentType = contentType };
        foreach (var (name, value) in metadata)
        {
            request.Metadata.Add(name, value);
        }

        await client.PutObjectAsync(request);
    }

    /// <summary>Every object as one line: key, size, MD5 of its bytes, content type and user metadata (equal lines: equal objects).</summary>
    private async Task<List<string>> DescribeBucketAsync(string bucket)
    {
        using var client = Client();
        var lines = new List<string>();
        string? marker = null;
        while (true)
        {
            var page = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Marker = marker });
            foreach (var item in page.S3Objects ?? [])
            {
                using var response = await client.GetObjectAsync(bucket, item.Key);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer);
                var metadata = string.Join(",", response.Metadata.Keys.Order(StringComparer.Ordinal).Select(k => $"{k.ToLowerInvariant()}={response.Metadata[k]}"));
                lines.Add($"{item.Key}|{buffer.Length}|{Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()))}|{response.Headers.ContentType}|{metadata}");
            }

            if (page.IsTruncated != true || page.S3Objects is not { Count: > 0 })
            {
                return lines;
            }

            marker = page.S3Objects[^1].Key;
        }
    }

    private async Task EmptyBucketAsync(string bucket)
    {
        using var client = Client();
        foreach (var line in await DescribeBucketAsync(bucket))
        {
            await client.DeleteObjectAsync(bucket, line[..line.IndexOf('|', StringComparison.Ordinal)]);
        }

        (await DescribeBucketAsync(bucket)).ShouldBeEmpty();
    }

    private async Task<string> DescribeTablesAsync(string db)
    {
        await using var connection = await database.OpenAsync(db);
        await using var select = new MySqlConnector.MySqlCommand("SELECT uuid, mpath, etag, size FROM data_index_archive_idx_tree ORDER BY uuid", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private async Task EmptyTablesAsync(string db) => await database.ExecuteAsync("DELETE FROM data_index_archive_idx_tree", db);

    private static async Task<List<string>> SnapshotTagsAsync(Dictionary<string, string> env)
    {
        var (code, output, error) = await CliHarness.RunAsync(env, "snapshots", "--json");
        code.ShouldBe(0, output + error);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.EnumerateArray()
            .Select(s => s.TryGetProperty("tags", out var t) ? string.Join(",", t.EnumerateArray().Select(x => x.GetString())) : "")
            .ToList();
    }

    /// <summary>Output that signals when a line containing <paramref name="text"/> is written.</summary>
    private sealed class WatchingWriter(string text, TaskCompletionSource seen) : StringWriter
    {
        private readonly object _gate = new();

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }

            if (value is not null && value.Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }
    }
}
