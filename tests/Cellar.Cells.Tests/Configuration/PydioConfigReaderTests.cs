namespace Cellar.Cells.Tests.Configuration;

public sealed class PydioConfigReaderTests
{
    private const string V4 = """
        {
          "version": "4.4.15",
          "databases": {
            "abc": {"driver": "mysql", "dsn": "pydio:secret@tcp(db:3306)/cells?parseTime=true"},
            "pydio.grpc.activity": {"driver": "boltdb", "dsn": "/var/cells/services/pydio.grpc.activity/activities.db"},
            "pydio.grpc.search": {"driver": "bleve", "dsn": "/var/cells/services/pydio.grpc.search/searchengine.bleve"}
          },
          "defaults": {"database": {"$ref": "#/databases/abc"}},
          "services": {
            "pydio.grpc.data.sync": {"sources": ["pydiods1", "updated:1700000000", "archive"]},
            "pydio.grpc.data.objects.local1": {"Name": "local1", "LocalFolder": "/var/cells/data"},
            "pydio.grpc.data.sync.pydiods1": {"Name": "pydiods1", "FlatStorage": true, "ObjectsServiceName": "local1", "ObjectsBucket": "pydiods1", "StorageConfiguration": {"folder": "/var/cells/data/pydiods1"}},
            "pydio.grpc.data.sync.archive": {"Name": "archive", "StorageType": "S3", "ObjectsBucket": "my-bucket", "StorageConfiguration": {"customEndpoint": "https://s3.example.com"}},
            "pydio.grpc.data.sync.legacy": {"Name": "legacy", "ObjectsServiceName": "local1", "ObjectsBucket": "legacy"}
          }
        }
        """;

    [Fact]
    public void V4_dsn_is_found_through_the_defaults_ref()
    {
        var config = PydioConfigReader.Read("/var/cells/pydio.json", V4);
        config.DatabaseKey.ShouldBe("abc");
        config.SqlDriver.ShouldBe("mysql");
        config.SqlDsn.ShouldBe("pydio:secret@tcp(db:3306)/cells?parseTime=true");
        config.Version.ShouldBe("4.4.15");
    }

    [Fact]
    public void Datasources_skip_update_markers_and_read_the_place_of_S3_ones()
    {
        var config = PydioConfigReader.Read("/var/cells/pydio.json", V4);
        config.Datasources.Select(d => d.Name).ShouldBe(["pydiods1", "archive", "legacy"]);
        var local = config.Datasources[0];
        local.IsLocal.ShouldBeTrue();
        local.FlatStorage.ShouldBeTrue();
        local.Folder.ShouldBe("/var/cells/data/pydiods1");
        config.Datasources[1].StorageType.ShouldBe("S3");
        config.Datasources[1].Folder.ShouldBeNull();
        var s3 = config.Datasources[1].S3.ShouldNotBeNull();
        s3.Endpoint.ShouldBe(new Uri("https://s3.example.com"));
        s3.Bucket.ShouldBe("my-bucket");
        s3.Region.ShouldBe("us-east-1");
        s3.Secure.ShouldBeTrue();
        config.Warnings.ShouldNotContain(w => w.Contains("archive"));
    }

    // Cells' object.proto: StorageType is an enum (S3 = 1, AZURE = 5); protobuf JSON may hold it as a
    // number. Keys from common/proto/object (customEndpoint, customRegion, bucketsRegexp) and the
    // DataSource message (ObjectsBucket, ObjectsBaseFolder, ApiKey, ApiSecret), the objects
    // service's EndpointUrl when the datasource names none.
    [Fact]
    public void A_numeric_S3_StorageType_reads_endpoint_prefix_region_and_keys_with_the_objects_service_filling_gaps()
    {
        const string config = """
            {"version": "4.4.15",
             "databases": {"abc": {"driver": "mysql", "dsn": "u:p@tcp(db:3306)/cells"}},
             "defaults": {"database": {"$ref": "#/databases/abc"}},
             "services": {
               "pydio.grpc.data.objects.gateway1": {"Name": "gateway1", "StorageType": 1, "EndpointUrl": "http://minio.lan:9000", "ApiKey": "GWKEY", "ApiSecret": "gw-vault-id"},
               "pydio.grpc.data.sync.media": {"Name": "media", "StorageType": 1, "ObjectsServiceName": "gateway1", "ObjectsBucket": "media", "ObjectsBaseFolder": "/cells/media/",
                                              "ApiKey": "DSKEY", "StorageConfiguration": {"customRegion": "eu-west-3"}},
               "pydio.grpc.data.sync.blobs": {"Name": "blobs", "StorageType": 5, "ObjectsBucket": "c"},
               "pydio.grpc.data.sync.many": {"Name": "many", "StorageType": "S3", "StorageConfiguration": {"customEndpoint": "https://s3.eu.example", "bucketsRegexp": "^cells-"}}
             }}
            """;
        var read = PydioConfigReader.Read("/var/cells/pydio.json", config);

        var media = read.Datasources.Single(d => d.Name == "media");
        media.StorageType.ShouldBe("S3");
        var s3 = media.S3.ShouldNotBeNull();
        s3.Endpoint.ShouldBe(new Uri("http://minio.lan:9000"));
        s3.Secure.ShouldBeFalse();
        s3.PathStyle.ShouldBeTrue();
        s3.Prefix.ShouldBe("cells/media");
        s3.Region.ShouldBe("eu-west-3");
        (s3.ApiKey, s3.ApiSecret).ShouldBe(("DSKEY", "gw-vault-id"));
        read.Datasources.Single(d => d.Name == "blobs").StorageType.ShouldBe("AZURE");
        read.Warnings.ShouldContain(w => w.Contains("blobs") && w.Contains("not in the snapshot"));
        read.Warnings.ShouldContain(w => w.Contains("many") && w.Contains("several buckets"));
    }

    [Fact]
    public void A_local_datasource_without_folder_lives_in_its_objects_service_folder()
    {
        PydioConfigReader.Read("/var/cells/pydio.json", V4).Datasources.Single(d => d.Name == "legacy").Folder.ShouldBe("/var/cells/data/legacy");
    }

    [Fact]
    public void V4_bolt_and_bleve_drivers_are_stores()
    {
        var stores = PydioConfigReader.Read("/var/cells/pydio.json", V4).Stores;
        stores.ShouldContain(new CellsStore("pydio.grpc.activity", "bolt", "/var/cells/services/pydio.grpc.activity/activities.db"));
        stores.ShouldContain(new CellsStore("pydio.grpc.search", "bleve", "/var/cells/services/pydio.grpc.search/searchengine.bleve"));
    }

    [Fact]
    public void V5_uris_are_read()
    {
        const string v5 = """
            {"version": "5.0.0",
             "databases": {
               "default": {"driver": "mysql", "dsn": "mysql://root:pw@unix(/run/mysqld.sock)/cells?parseTime=true&prefix={{.Meta.prefix}}"},
               "b": {"dsn": "boltdb:///var/cells/services/pydio.grpc.jobs/jobs.db"},
               "s": {"dsn": "bleve:///var/cells/services/pydio.grpc.log/syslog.bleve?mapping=log&rotationSize=-1"},
               "t": {"dsn": "boltdb://{{ serviceDataDir .Service }}/x.db"}
             },
             "defaults": {"database": {"$ref": "#/databases/default"}}}
            """;
        var config = PydioConfigReader.Read("/var/cells/pydio.json", v5);
        CellsDsn.Parse(config.SqlDsn).IsUnixSocket.ShouldBeTrue();
        config.Stores.ShouldBe([
            new CellsStore("b", "bolt", "/var/cells/services/pydio.grpc.jobs/jobs.db"),
            new CellsStore("s", "bleve", "/var/cells/services/pydio.grpc.log/syslog.bleve"),
        ]);
    }

    [Fact]
    public void Malformed_json_is_an_error_naming_the_file()
    {
        var ex = Should.Throw<CellsConfigException>(() => PydioConfigReader.Read("/etc/cells/pydio.json", "{\"version\": "));
        ex.Message.ShouldStartWith("/etc/cells/pydio.json:");
        ex.Message.ShouldContain("not valid JSON");
    }

    [Theory]
    [InlineData("""{"version":"4","defaults":{"database":{"$ref":"#/databases/x"}}}""", "\"databases\"")]
    [InlineData("""{"version":"4","databases":{}}""", "defaults.database")]
    [InlineData("""{"version":"4","databases":{},"defaults":{"database":{"$ref":"#/databases/x"}}}""", "databases.x")]
    [InlineData("""{"version":"4","databases":{"x":{"driver":"mysql"}},"defaults":{"database":{"$ref":"#/databases/x"}}}""", "databases.x.dsn")]
    [InlineData("""{"version":"4","databases":{"x":{"dsn":"a@tcp(h)/d"}},"defaults":{"database":"x"},"services":{"pydio.grpc.data.sync.ds":{"Name":"ds"}}}""", "StorageConfiguration.folder")]
    public void A_missing_key_is_an_error_naming_file_and_key(string json, string key)
    {
        var ex = Should.Throw<CellsConfigException>(() => PydioConfigReader.Read("/w/pydio.json", json));
        ex.Message.ShouldStartWith("/w/pydio.json:");
        ex.Message.ShouldContain(key);
    }
}

/// <summary>common/proto/object/object.proto (and cells-object.proto): the whole StorageType enum, by number and by name.</summary>
public sealed class StorageTypeTests
{
    [Theory]
    [InlineData("0", "LOCAL")]
    [InlineData("1", "S3")]
    [InlineData("2", "SMB")]
    [InlineData("4", "CELLS")]
    [InlineData("5", "AZURE")]
    [InlineData("6", "GCS")]
    [InlineData("7", "B2")]
    [InlineData("8", "MANTA")]
    [InlineData("9", "SIA")]
    [InlineData("3", "UNKNOWN(3)")]
    [InlineData("\"S3\"", "S3")]
    [InlineData("\"azure\"", "AZURE")]
    [InlineData("\"1\"", "S3")]
    [InlineData("null", "LOCAL")]
    public void Object_proto_storage_type_values_map_to_enum_names(string json, string expected)
    {
        CellsStorageType.Read(System.Text.Json.Nodes.JsonNode.Parse(json)).ShouldBe(expected);
    }

    [Fact]
    public void Object_proto_a_numeric_S3_datasource_is_not_local_and_lists_endpoint_and_bucket()
    {
        const string json = """
            {"version":"4","databases":{"x":{"dsn":"a@tcp(h)/d"}},"defaults":{"database":"x"},"services":{
              "pydio.grpc.data.objects.gw": {"Name":"gw","StorageType":1,"EndpointUrl":"https://s3.example.com"},
              "pydio.grpc.data.sync.ds1": {"Name":"ds1","StorageType":1,"ObjectsServiceName":"gw","ObjectsBucket":"b1","ApiKey":"k","ApiSecret":"vault-id"},
              "pydio.grpc.data.sync.ds2": {"Name":"ds2","ObjectsServiceName":"gw","ObjectsBucket":"b2"}}}
            """;
        var config = PydioConfigReader.Read("/w/pydio.json", json);
        config.Datasources.Select(d => (d.Name, d.StorageType, d.IsLocal, d.Bucket, d.Endpoint)).ShouldBe([
            ("ds1", "S3", false, "b1", "https://s3.example.com"),
            ("ds2", "S3", false, "b2", "https://s3.example.com"),
        ]);
        config.Datasources[0].ApiSecretRef.ShouldBe("vault-id");
    }
}
