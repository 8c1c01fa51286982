using Cellar.Databases.Postgres;

namespace Cellar.Databases.Tests.Postgres;

/// <summary>PostgreSQL DSNs as Cells v5 writes them (discovery/install/lib/database.go: driver "sql", the engine from the scheme).</summary>
public sealed class PostgresDsnTests
{
    [Fact]
    public void A_v5_tcp_dsn_with_templates_connects_without_them_and_keeps_them_verbatim()
    {
        const string text = "postgres://cells:p%40ss@db.example:5433/cells?sslmode=disable&prefix={{.Meta.prefix}}&policies={{.Meta.policies}}";

        var dsn = DatabaseEngines.Parse(text, "sql").ShouldBeOfType<PostgresDsn>();

        dsn.Host.ShouldBe("db.example");
        dsn.Port.ShouldBe(5433);
        dsn.User.ShouldBe("cells");
        dsn.Password.ShouldBe("p@ss");
        dsn.Database.ShouldBe("cells");
        dsn.Options.Keys.ShouldBe(["sslmode"]);
        dsn.ToConfigText().ShouldBe(text);
        dsn.ToString().ShouldNotContain("p@ss");
        dsn.ToString().ShouldNotContain("p%40ss");
    }

    [Fact]
    public void A_socket_dsn_names_the_folder_in_the_host_parameter()
    {
        var dsn = DatabaseEngines.Parse("postgresql://cells:pw@/cells?host=%2Frun%2Fpostgresql&port=5432", "postgres").ShouldBeOfType<PostgresDsn>();

        dsn.Host.ShouldBe("/run/postgresql");
        dsn.Where.ShouldContain("socket folder /run/postgresql");
    }

    [Fact]
    public void Libpq_keywords_are_read_when_the_driver_says_postgres()
    {
        var dsn = DatabaseEngines.Parse("host=localhost port=5432 user=cells password='a b' dbname=cells sslmode=disable", "pgx").ShouldBeOfType<PostgresDsn>();

        dsn.Password.ShouldBe("a b");
        dsn.Database.ShouldBe("cells");
    }

    [Fact]
    public void A_dsn_without_a_database_is_refused_with_a_sentence()
    {
        Should.Throw<FormatException>(() => DatabaseEngines.Parse("postgres://cells:pw@localhost:5432/")).Message.ShouldContain("names no database");
    }
}
