using Cellar.Databases.MySql;

namespace Cellar.Databases.Tests.MySql;

public sealed class MySqlDsnTests
{
    [Fact]
    public void Go_tcp_dsn_is_read_and_its_password_hidden()
    {
        var dsn = MySqlDsn.Parse("pydio:p@ss:w0rd@tcp(db.example:3307)/cells?parseTime=true");
        (dsn.User, dsn.Password, dsn.Host, dsn.Port, dsn.Database).ShouldBe(("pydio", "p@ss:w0rd", "db.example", 3307, "cells"));
        dsn.ToString().ShouldBe("pydio:***@tcp(db.example:3307)/cells?parseTime=true");
        dsn.ToGoDsn().ShouldBe("pydio:p@ss:w0rd@tcp(db.example:3307)/cells?parseTime=true");
    }

    [Fact]
    public void Unix_socket_dsn_is_read()
    {
        var dsn = MySqlDsn.Parse("root:secret@unix(/run/mysqld/mysqld.sock)/cells");
        dsn.Socket.ShouldBe("/run/mysqld/mysqld.sock");
        dsn.Host.ShouldBeNull();
        dsn.Database.ShouldBe("cells");
        dsn.ToConnectionString().ShouldContain("/run/mysqld/mysqld.sock");
    }

    [Fact]
    public void V5_url_with_template_parameters_keeps_them_for_writing_back()
    {
        var text = "mysql://pydio:secret@tcp(localhost:3306)/cells?parseTime=true&prefix={{.Meta.prefix}}&policies={{.Meta.policies}}&singular={{.Meta.singular}}";
        var dsn = MySqlDsn.Parse(text);
        dsn.Style.ShouldBe(DsnStyle.MySqlUrl);
        dsn.Database.ShouldBe("cells");
        MySqlDsn.IsTemplateParameter("prefix", dsn.Parameter("prefix")!).ShouldBeTrue();
        dsn.ToGoDsn().ShouldBe(text);
        dsn.ToString().ShouldNotContain("secret");
    }

    [Fact]
    public void Relocated_copy_points_elsewhere_with_the_same_credentials()
    {
        var dsn = MySqlDsn.Parse("pydio:secret@tcp(old:3306)/cells?parseTime=true");
        dsn.WithHost("new", 3310).WithDatabase("cells2").ToGoDsn().ShouldBe("pydio:secret@tcp(new:3310)/cells2?parseTime=true");
        dsn.WithSocket("/tmp/s.sock").ToGoDsn().ShouldBe("pydio:secret@unix(/tmp/s.sock)/cells?parseTime=true");
    }

    [Fact]
    public void Plain_connection_string_is_read()
    {
        var dsn = MySqlDsn.Parse("Server=db;Port=3308;User ID=u;Password=pw;Database=cells");
        (dsn.Host, dsn.Port, dsn.User, dsn.Password, dsn.Database).ShouldBe(("db", 3308, "u", "pw", "cells"));
        dsn.ToString().ShouldNotContain("pw");
    }

    [Theory]
    [InlineData("")]
    [InlineData("user:pw@tcp(host:3306)")]
    [InlineData("user:pw@tcp(host:99999)/db")]
    [InlineData("user:pw@pipe(x)/db")]
    public void Malformed_dsn_is_a_format_error(string text) => Should.Throw<FormatException>(() => MySqlDsn.Parse(text));
}
