using Cellar.Databases.Postgres;
using Cellar.Testing;

namespace Cellar.Databases.Tests.Postgres;

/// <summary>The drill's throwaway PostgreSQL: starts on a socket in its folder, makes a database, and is gone when disposed.</summary>
public sealed class PrivatePostgresTests
{
    [Fact]
    public async Task A_private_PostgreSQL_starts_creates_a_database_and_stops_when_disposed()
    {
        if (PrivatePostgres.BinFolder() is null)
        {
            Assert.Skip("PostgreSQL is not installed (Debian package postgresql)");
        }

        using var temp = new TempDirectory("cellar-private-pg");
        // As root the server runs as the postgres user, who must be able to reach the folder (a drill's scratch folder is 0755).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp.Path, (UnixFileMode)0x1ED);
        }
        var ct = TestContext.Current.CancellationToken;
        var (server, reason) = await PrivatePostgres.TryStartAsync(temp.Combine("pg"), ct);
        server.ShouldNotBeNull(reason);
        string pidFile = temp.Combine("pg", "data", "postmaster.pid");
        await using (server)
        {
            File.Exists(pidFile).ShouldBeTrue();
            File.Exists(Path.Combine(server.SocketFolder, ".s.PGSQL.5432")).ShouldBeTrue();
            await server.CreateDatabaseAsync("cells", ct);
            server.Dsn("cells").ShouldStartWith("postgres://postgres@/cells?host=");
        }

        File.Exists(pidFile).ShouldBeFalse("the server stopped");
    }
}
