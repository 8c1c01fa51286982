namespace Cellar.Databases.Tests;

/// <summary>The engine comes from the DSN's scheme; the driver field is only a hint (Cells v5 writes driver "sql": discovery/install/lib/database.go).</summary>
public sealed class DatabaseEnginesTests
{
    [Theory]
    [InlineData("pydio:pw@tcp(127.0.0.1:3306)/cells?parseTime=true", "mysql")]
    [InlineData("pydio:pw@tcp(127.0.0.1:3306)/cells?parseTime=true", null)]
    [InlineData("mysql://pydio:pw@tcp(127.0.0.1:3306)/cells?parseTime=true&prefix={{.Meta.prefix}}", "sql")]
    [InlineData("mysql://pydio:pw@tcp(127.0.0.1:3306)/cells", "mysql")]
    public void A_mysql_dsn_is_handled_by_the_mysql_engine_whatever_the_driver_field_says(string dsn, string? driver)
    {
        var parsed = DatabaseEngines.Parse(dsn, driver);

        parsed.Engine.Name.ShouldBe("mysql");
        parsed.Database.ShouldBe("cells");
        parsed.ToString().ShouldNotContain("pw");
    }

    [Fact]
    public void An_unknown_scheme_is_refused_with_a_sentence_naming_it()
    {
        var ex = Should.Throw<FormatException>(() => DatabaseEngines.Parse("oracle://u:p@host/db", "sql"));

        ex.Message.ShouldContain("oracle://");
    }

    [Fact]
    public void The_engine_recorded_in_a_manifest_is_found_by_name()
    {
        DatabaseEngines.ByName("mysql").ShouldBeSameAs(DatabaseEngines.MySql);
        Should.Throw<FormatException>(() => DatabaseEngines.ByName("db2"));
    }
}
