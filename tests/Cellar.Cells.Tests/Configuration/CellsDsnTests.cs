namespace Cellar.Cells.Tests.Configuration;

public sealed class CellsDsnTests
{
    [Fact]
    public void A_tcp_dsn_is_split_and_redacted()
    {
        var dsn = CellsDsn.Parse("pydio:s3cr@t@tcp(db.local:3307)/cells?parseTime=true");
        dsn.User.ShouldBe("pydio");
        dsn.Password.ShouldBe("s3cr@t");
        dsn.Protocol.ShouldBe("tcp");
        dsn.Address.ShouldBe("db.local:3307");
        dsn.Database.ShouldBe("cells");
        dsn.Redacted.ShouldBe("pydio:***@tcp(db.local:3307)/cells?parseTime=true");
    }

    [Fact]
    public void A_v5_unix_socket_dsn_loses_scheme_and_templates_in_driver_form()
    {
        var dsn = CellsDsn.Parse("mysql://root:pw@unix(/run/mysqld/mysqld.sock)/cells?parseTime=true&prefix={{.Meta.prefix}}&singular={{.Meta.singular}}");
        dsn.Scheme.ShouldBe("mysql");
        dsn.IsUnixSocket.ShouldBeTrue();
        dsn.Address.ShouldBe("/run/mysqld/mysqld.sock");
        dsn.DriverForm.ShouldBe("root:pw@unix(/run/mysqld/mysqld.sock)/cells?parseTime=true");
        dsn.Redacted.ShouldNotContain("pw");
    }

    [Fact]
    public void A_dsn_without_database_is_rejected()
    {
        Should.Throw<FormatException>(() => CellsDsn.Parse("root@tcp(localhost)"));
    }
}
