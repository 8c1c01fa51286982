using Cellar.Databases;
using Cellar.Testing;

namespace Cellar.Cells.Tests.Configuration;

/// <summary>
/// The SQL database entry in every shape real configs have: a plain key (v2.1), a <c>$ref</c>
/// (v2.2–v4, v4 upgraded to v5), or the entry inline (fresh v5: <c>config.SetDatabase</c> in
/// discovery/install/lib/database.go copies it into <c>defaults.database</c>); the engine comes
/// from the DSN scheme, the driver field is only a hint.
/// </summary>
public sealed class DatabaseEntryTests
{
    private static PydioConfig Read(string defaults, string databases) =>
        PydioConfigReader.Read("/etc/cells/pydio.json", "{\"version\": \"5.0.0\", \"databases\": {" + databases + "}, \"defaults\": {\"database\": " + defaults + "}}");

    [Fact]
    public void A_fresh_v5_inline_entry_with_driver_sql_is_read_and_names_postgres_by_its_scheme()
    {
        const string dsn = "postgres://cells:pw@db:5432/cells?sslmode=disable&prefix={{.Meta.prefix}}";
        var config = Read($$"""{"driver": "sql", "dsn": "{{dsn}}"}""", $$""" "0a1b": {"driver": "sql", "dsn": "{{dsn}}"} """);

        config.SqlDriver.ShouldBe("sql");
        config.SqlDsn.ShouldBe(dsn);
        config.DatabaseEntry.ShouldBe("defaults.database");
        DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver).Engine.ShouldBeSameAs(DatabaseEngines.Postgres);
    }

    [Theory]
    [InlineData("mysql://cells:pw@tcp(db:3306)/cells?parseTime=true&prefix={{.Meta.prefix}}", "mysql")]
    [InlineData("postgres://cells:pw@/cells?host=%2Frun%2Fpostgresql&prefix={{.Meta.prefix}}", "postgres")]
    [InlineData("sqlite:///var/cells/cells.db?prefix={{.Meta.prefix}}", "sqlite")]
    public void A_fresh_v5_ref_entry_with_driver_sql_chooses_the_engine_from_the_scheme(string dsn, string engine)
    {
        var config = Read("""{"$ref": "#/databases/abc"}""", $$""" "abc": {"driver": "sql", "dsn": "{{dsn}}"} """);

        config.DatabaseEntry.ShouldBe("databases.abc");
        DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver).Engine.Name.ShouldBe(engine);
    }

    [Fact]
    public void An_inline_entry_without_a_dsn_is_an_error_naming_the_file_and_key()
    {
        var ex = Should.Throw<CellsConfigException>(() => Read("""{"driver": "sql"}""", ""));

        ex.Message.ShouldContain("/etc/cells/pydio.json");
        ex.Message.ShouldContain("defaults.database.dsn");
    }

    [Fact]
    public void Real_v4_config_with_a_ref_default_database_is_read()
    {
        var config = PydioConfigReader.ReadFile(SharedFixtures.Require("cells", "real", "01-v4.0.0-dev-mock.json"));

        config.SqlDriver.ShouldBe("mysql");
        var dsn = DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver);
        dsn.Engine.ShouldBeSameAs(DatabaseEngines.MySql);
        dsn.Database.ShouldBe("cells");
    }

    [Fact]
    public void Real_v2_1_config_with_a_string_default_database_is_read()
    {
        var config = PydioConfigReader.ReadFile(SharedFixtures.Require("cells", "real", "05-v2.1-string-default-db-no-version.json"));

        config.DatabaseKey.ShouldBe("f5eda2bacd38959a7b8533687cb063ad9677dd0b");
        DatabaseEngines.Parse(config.SqlDsn, config.SqlDriver).Database.ShouldBe("cells200");
    }

    [Fact]
    public void Real_fragment_without_a_database_is_refused_naming_the_file_and_the_key()
    {
        var path = SharedFixtures.Require("cells", "real", "03-v3.0.10-objects-s3-numeric-storagetype.json");

        var ex = Should.Throw<CellsConfigException>(() => PydioConfigReader.ReadFile(path));

        ex.FilePath.ShouldBe(path);
        ex.Message.ShouldContain(path);
        ex.Message.ShouldContain("\"databases\"");
    }
}
