namespace Cellar.Cells.Tests.Configuration;

/// <summary>
/// MongoDB stores as Cells writes them: v4 <c>installDocumentDSN</c> (discovery/install/lib/database.go)
/// adds <c>databases."mongodb-&lt;8 hex&gt;"</c> and sets <c>services.NAME.storage</c> (or <c>indexer</c>,
/// common/service/storage.go) to that key; v5 calls <c>SetDatabase(ctx, "mongodb", "mongodb", dsn, "documentsDSN")</c>,
/// which also copies the entry inline into <c>defaults.documentsDSN</c> (common/config, SetDatabase).
/// </summary>
public sealed class MongoStoreReaderTests
{
    [Fact]
    public void A_v4_mongodb_database_names_the_services_whose_storage_or_indexer_points_at_it_with_the_password_hidden()
    {
        const string json = """
            {
              "version": "4.4.15",
              "databases": {
                "abc": {"driver": "mysql", "dsn": "pydio:secret@tcp(db:3306)/cells?parseTime=true"},
                "mongodb-5f3c9a1e": {"driver": "mongodb", "dsn": "mongodb://cells:m0ngo!@mongo.local:27017/cells?maxPoolSize=20&w=majority"}
              },
              "defaults": {"database": {"$ref": "#/databases/abc"}},
              "services": {
                "pydio.grpc.activity": {"storage": "mongodb-5f3c9a1e"},
                "pydio.grpc.search": {"indexer": "mongodb-5f3c9a1e"},
                "pydio.grpc.jobs": {"storage": "boltdb-1"}
              }
            }
            """;

        var config = PydioConfigReader.Read("/var/cells/pydio.json", json);

        var store = config.MongoStores.ShouldHaveSingleItem();
        store.Key.ShouldBe("mongodb-5f3c9a1e");
        store.Services.ShouldBe(["pydio.grpc.activity", "pydio.grpc.search"]);
        store.Dsn.ShouldBe("mongodb://cells:***@mongo.local:27017/cells?maxPoolSize=20&w=majority");
        config.SqlDriver.ShouldBe("mysql");
    }

    [Fact]
    public void A_v5_documentsDSN_sends_every_service_that_supports_MongoDB_there()
    {
        const string json = """
            {
              "version": "5.0.2",
              "databases": {
                "sqlkey": {"driver": "sql", "dsn": "mysql://root@tcp(localhost:3306)/cells?parseTime=true&prefix={{.Meta.prefix}}"},
                "mongodb": {"driver": "mongodb", "dsn": "mongodb://localhost:27017/cells?prefix={{.Meta.prefix}}"}
              },
              "defaults": {
                "database": {"$ref": "#/databases/sqlkey"},
                "documentsDSN": {"driver": "mongodb", "dsn": "mongodb://localhost:27017/cells?prefix={{.Meta.prefix}}"}
              }
            }
            """;

        var store = PydioConfigReader.Read("/var/cells/pydio.json", json).MongoStores.ShouldHaveSingleItem();

        store.Key.ShouldBe("mongodb");
        store.Services.ShouldContain("pydio.grpc.docstore");
        store.Services.ShouldContain("pydio.grpc.versions");
        store.Services.ShouldContain("pydio.grpc.search");
        store.Dsn.ShouldBe("mongodb://localhost:27017/cells?prefix={{.Meta.prefix}}");
    }

    [Fact]
    public void An_installation_without_MongoDB_has_no_mongo_store()
    {
        const string json = """
            {"version": "4.4.15", "databases": {"abc": {"driver": "mysql", "dsn": "u:p@tcp(db:3306)/cells"},
             "pydio.grpc.activity": {"driver": "boltdb", "dsn": "/var/cells/services/pydio.grpc.activity/activities.db"}},
             "defaults": {"database": {"$ref": "#/databases/abc"}}}
            """;

        PydioConfigReader.Read("/var/cells/pydio.json", json).MongoStores.ShouldBeEmpty();
    }
}
