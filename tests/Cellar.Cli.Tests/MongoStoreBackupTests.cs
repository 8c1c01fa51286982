using System.Text.Json;
using System.Text.Json.Nodes;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cli.Tests;

/// <summary>
/// An installation whose document stores live in MongoDB, shaped as Cells v4 writes it
/// (discovery/install/lib/database.go: <c>databases."mongodb-&lt;8 hex&gt;"</c> with driver <c>mongodb</c>,
/// and <c>services.NAME.storage</c> set to that key for each service that supports MongoDB):
/// never a silent success, and stored whole through a command source when one is given.
/// </summary>
public sealed class MongoStoreBackupTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private const string MongoKey = "mongodb-5f3c9a1e";

    [Fact]
    public async Task Without_a_dump_command_the_backup_saves_the_rest_tags_it_incomplete_names_the_MongoDB_services_and_exits_3()
    {
        using var root = new TempDirectory("cellar-mongo-none");
        var (install, env) = await NewMongoInstallationAsync(root, "mongonone");

        var (code, output, error) = await CliHarness.RunAsync(env, "backup");

        code.ShouldBe(3, output + error);
        error.ShouldContain("INCOMPLETE");
        error.ShouldContain("MongoDB");
        error.ShouldContain("pydio.grpc.jobs");
        error.ShouldContain("pydio.grpc.versions");
        error.ShouldContain("--dump-command");
        error.ShouldNotContain("m0ngo!");
        var snapshot = (await SnapshotsAsync(env)).ShouldHaveSingleItem();
        Tags(snapshot).ShouldContain("cells");
        Tags(snapshot).ShouldContain("incomplete");

        // Everything else is in it, and the manifest records which services live in MongoDB.
        var target = root.Combine("out");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", snapshot["id"]!.GetValue<string>(), "--target", target);
        code.ShouldBe(0, output + error);
        File.Exists(target + install.ConfigFile).ShouldBeTrue();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(target, ".cellar", "manifest.json")))!;
        var mongo = manifest["mongo_stores"]!.AsArray().ShouldHaveSingleItem()!;
        mongo["key"]!.GetValue<string>().ShouldBe(MongoKey);
        mongo["included"]!.GetValue<bool>().ShouldBeFalse();
        mongo["services"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["pydio.grpc.jobs", "pydio.grpc.versions"]);
    }

    [Fact]
    public async Task A_dump_command_stores_its_output_in_the_same_snapshot_and_a_restore_command_gets_the_same_bytes_back()
    {
        using var root = new TempDirectory("cellar-mongo-dump");
        var (install, env) = await NewMongoInstallationAsync(root, "mongodump");
        // Stands in for 'mongodump --archive': any command that writes bytes (here 300 KB, every byte value).
        var archive = root.Combine("archive.bin");
        var bytes = new byte[300_000];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(archive, bytes);

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--dump-command", $"mongo=cat '{archive}'; echo done >&2");

        code.ShouldBe(0, output + error);
        output.ShouldContain("dump command mongo");
        var snapshot = (await SnapshotsAsync(env)).ShouldHaveSingleItem();
        Tags(snapshot).ShouldNotContain("incomplete");
        var id = snapshot["id"]!.GetValue<string>();
        var target = root.Combine("out");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", id + ":/.cellar/commands", "--target", target);
        code.ShouldBe(0, output + error);
        (await File.ReadAllBytesAsync(Path.Combine(target, "mongo"))).ShouldBe(bytes);

        // The whole installation back, and the stored bytes on the restore command's standard input.
        Directory.Delete(install.WorkingDir, recursive: true);
        Directory.Delete(install.ExternalFolder, recursive: true);
        var db = install.Dsn[(install.Dsn.LastIndexOf('/') + 1)..];
        await server.ExecuteAsync($"DROP DATABASE `{db}`");
        await server.ExecuteAsync($"CREATE DATABASE `{db}`");
        var fed = root.Combine("fed.bin");
        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--restore-command", $"mongo=cat > '{fed}'");

        code.ShouldBe(0, output + error);
        (await File.ReadAllBytesAsync(fed)).ShouldBe(bytes);
        File.Exists(install.ConfigFile).ShouldBeTrue();
    }

    [Fact]
    public async Task A_failing_dump_command_fails_the_backup_and_leaves_no_snapshot_tagged_cells()
    {
        using var root = new TempDirectory("cellar-mongo-fail");
        var (_, env) = await NewMongoInstallationAsync(root, "mongofail");

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--dump-command", "mongo=printf partial; echo 'connection refused' >&2; exit 7");

        code.ShouldBe(1, output + error);
        error.ShouldContain("mongo");
        error.ShouldContain("code 7");
        error.ShouldContain("no snapshot");
        output.ShouldContain("connection refused");
        (await SnapshotsAsync(env)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_restore_command_with_no_stored_output_is_refused_before_anything_is_written()
    {
        using var root = new TempDirectory("cellar-mongo-noout");
        var (install, env) = await NewMongoInstallationAsync(root, "mongonoout");
        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--dump-command", "mongo=echo archive");
        code.ShouldBe(0, output + error);
        Directory.Delete(install.WorkingDir, recursive: true);

        (code, output, error) = await CliHarness.RunAsync(env, "restore", "latest", "--restore-command", "other=cat");

        code.ShouldBe(1, output + error);
        error.ShouldContain("other");
        error.ShouldContain("mongo");
        Directory.Exists(install.WorkingDir).ShouldBeFalse();
    }

    [Fact]
    public async Task Cells_inspect_lists_the_MongoDB_store_as_not_included_unless_a_dump_command_is_given()
    {
        using var root = new TempDirectory("cellar-mongo-inspect");
        var (_, env) = await NewMongoInstallationAsync(root, "mongoinspect");

        var (code, output, error) = await CliHarness.RunAsync(env, "cells", "inspect", "--no-db");

        code.ShouldBe(0, output + error);
        output.ShouldContain($"MongoDB databases.{MongoKey}");
        output.ShouldContain("not included unless --dump-command");
        output.ShouldContain("pydio.grpc.jobs");
    }

    [Theory]
    [InlineData("mongo")]
    [InlineData("=cat")]
    [InlineData("../x=cat")]
    public async Task A_malformed_dump_command_is_a_usage_error(string value)
    {
        using var root = new TempDirectory("cellar-mongo-usage");
        var (_, env) = await NewMongoInstallationAsync(root, "mongousage" + Math.Abs(value.GetHashCode() % 1000));

        var (code, output, error) = await CliHarness.RunAsync(env, "backup", "--dump-command", value);

        code.ShouldBe(2, output + error);
        error.ShouldContain("NAME='COMMAND'");
    }

    private async Task<(CellsInstallation Install, Dictionary<string, string> Env)> NewMongoInstallationAsync(TempDirectory root, string dbName)
    {
        var db = await server.CreateDatabaseAsync(dbName);
        await server.ExecuteAsync("CREATE TABLE idm_user_idx_tree (uuid VARCHAR(128) PRIMARY KEY, name VARCHAR(255)); INSERT INTO idm_user_idx_tree VALUES ('u1','admin');", db);
        var install = await CellsInstallation.CreateAsync(root.Combine("site"), CellsShape.V4, server.RootDsn(db), realBoltStores: true);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(install.ConfigFile))!.AsObject();
        config["databases"]![MongoKey] = new JsonObject { ["driver"] = "mongodb", ["dsn"] = "mongodb://cells:m0ngo!@127.0.0.1:27017/cells?maxPoolSize=20&w=majority" };
        config["services"]!["pydio.grpc.jobs"] = new JsonObject { ["storage"] = MongoKey };
        config["services"]!["pydio.grpc.versions"] = new JsonObject { ["storage"] = MongoKey };
        await File.WriteAllTextAsync(install.ConfigFile, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var env = new Dictionary<string, string>
        {
            ["CELLS_WORKING_DIR"] = install.WorkingDir,
            ["CELLAR_REPOSITORY"] = root.Combine("repo"),
            ["CELLAR_PASSWORD"] = "pw",
        };
        var (code, output, error) = await CliHarness.RunAsync(env, "init");
        code.ShouldBe(0, output + error);
        return (install, env);
    }

    private static async Task<List<JsonNode>> SnapshotsAsync(Dictionary<string, string> env)
    {
        var (code, output, error) = await CliHarness.RunAsync(env, "snapshots", "--json", "--tag", "cells");
        code.ShouldBe(0, output + error);
        return JsonNode.Parse(output)!.AsArray().Select(n => n!).ToList();
    }

    private static List<string> Tags(JsonNode snapshot) => snapshot["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
}
