using Cellar.Testing;

namespace Cellar.Cells.Tests.Configuration;

/// <summary>
/// The reader against pydio.json files copied verbatim from the Cells repository's own test data
/// (../shared/fixtures/cells/real, each with a .source.txt), not against shapes of our own.
/// </summary>
public sealed class RealConfigTests
{
    private static PydioConfig Read(string name)
    {
        var path = SharedFixtures.Require("cells", "real", name);
        return PydioConfigReader.Read(path, File.ReadAllText(path));
    }

    // common/config/mock/mock.go (v4.0): $ref default database, boltdb entries, internal thumbnails/versions datasources.
    [Fact]
    public void Mock_go_v4_config_reads_datasources_objects_stores_and_technical_buckets()
    {
        var config = Read("01-v4.0.0-dev-mock.json");
        config.Version.ShouldBe("4.0.0-dev");
        config.Datasources.Select(d => d.Name).ShouldBe(["pydiods1", "personal", "cellsdata", "versions", "thumbnails"]);
        config.Datasources.ShouldAllBe(d => d.IsLocal && d.FlatStorage);
        config.Datasources.Single(d => d.Name == "thumbnails").ShouldSatisfyAllConditions(
            d => d.Folder.ShouldBe("/home/user/.config/pydio/cells/data/thumbs"),
            d => d.Internal.ShouldBeTrue(),
            d => d.Bucket.ShouldBe("thumbs"));
        config.ObjectsServices.ShouldHaveSingleItem().LocalFolder.ShouldBe("/home/user/.config/pydio/cells/data");
        config.Stores.Select(s => s.Path).ShouldContain("/home/user/.config/pydio/cells/services/pydio.grpc.versions/versions.db");
        config.TechnicalBuckets.Select(b => (b.Bucket, b.Datasource)).ShouldBe([("binaries", "default"), ("thumbs", "thumbnails"), ("versions", "versions")]);
        config.DefaultDatasource.ShouldBe("pydiods1");
        InstallationPlanner.ImpliedWorkingDir(config).ShouldBe("/home/user/.config/pydio/cells");
    }

    // cmd/config_test.go (v2.1): defaults.database is a plain key, no version, PeerAddress everywhere.
    [Fact]
    public void Config_test_go_v21_config_reads_a_string_default_database_and_peer_addresses()
    {
        var config = Read("05-v2.1-string-default-db-no-version.json");
        config.Version.ShouldBeNull();
        config.Warnings.ShouldContain(w => w.Contains("\"version\""));
        config.SqlDsn.ShouldBe("root:root@tcp(localhost:3306)/cells200?parseTime=true");
        config.Datasources.ShouldAllBe(d => d.PeerAddress == "example.com");
        config.ObjectsServices.ShouldHaveSingleItem().PeerAddress.ShouldBe("example.com");
    }

    // common/config/migrations/4.0.1_test.go (v3.0.10 fragment): objects services with "StorageType": 1 and no database.
    [Fact]
    public void Migration_401_test_fragment_without_a_database_fails_naming_the_file_and_key()
    {
        var path = SharedFixtures.Require("cells", "real", "03-v3.0.10-objects-s3-numeric-storagetype.json");
        var ex = Should.Throw<CellsConfigException>(() => PydioConfigReader.Read(path, File.ReadAllText(path)));
        ex.FilePath.ShouldBe(path);
        ex.Message.ShouldContain("\"databases\"");
    }

    // common/proto/object/object.proto, enum StorageType: the number 1 is S3; LOCAL ones omit it.
    [Fact]
    public void Object_proto_numeric_storage_type_of_the_real_objects_services_is_read_as_S3()
    {
        var path = SharedFixtures.Require("cells", "real", "03-v3.0.10-objects-s3-numeric-storagetype.json");
        var text = File.ReadAllText(path).TrimEnd().TrimEnd('}') + ", \"databases\": {\"x\": {\"driver\": \"mysql\", \"dsn\": \"a@tcp(h)/d\"}}, \"defaults\": {\"database\": \"x\"}}";
        var config = PydioConfigReader.Read(path, text);
        config.ObjectsServices.Where(o => !o.IsLocal).Select(o => (o.Name, o.StorageType)).ShouldBe([("gateway2", "S3"), ("gateway1", "S3")], ignoreOrder: true);
        config.ObjectsServices.Single(o => o.Name == "gateway1").Endpoint.ShouldBe("https://s3.us-west-004.backblazeb2.com");
        config.ObjectsServices.Where(o => o.IsLocal).Select(o => o.LocalFolder).Distinct().Count().ShouldBe(2);
    }
}
