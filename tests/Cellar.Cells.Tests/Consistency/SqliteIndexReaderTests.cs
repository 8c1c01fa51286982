using Cellar.Cells.Consistency;
using Cellar.Databases.Sqlite;
using Cellar.Testing;
using Microsoft.Data.Sqlite;

namespace Cellar.Cells.Tests.Consistency;

/// <summary>
/// The SQLite index reader on a real SQLite file shaped as Cells v5 writes it: GORM's table prefix
/// from the DSN before <c>data_index_NAME_idx_tree</c> (pydio/cells common/storage/sql/gorm.go),
/// <c>leaf</c> 1 for a file and 2 for a folder (common/storage/sql/index/gorm-impl.go).
/// </summary>
public sealed class SqliteIndexReaderTests
{
    [Fact]
    public async Task A_v5_index_behind_a_prefix_is_read_with_files_folders_sizes_and_dotted_mpaths()
    {
        using var dir = new TempDirectory("cellar-sqlite-index");
        var file = dir.Combine("cells.db");
        await using (var connection = new SqliteConnection("Data Source=" + file))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE cells_data_index_ext_idx_tree (uuid TEXT PRIMARY KEY, level INTEGER, name TEXT, leaf INTEGER, etag TEXT, size INTEGER,
                    mpath1 TEXT, mpath2 TEXT, mpath3 TEXT, mpath4 TEXT);
                INSERT INTO cells_data_index_ext_idx_tree VALUES ('ROOT', 1, '', 2, '', 5, '1', '', '', ''), ('d1', 2, 'docs', 2, '', 5, '1.1', '', '', ''),
                    ('f1', 3, 'a b.txt', 1, 'e1', 5, '1.1.1', '', '', '');
                """;
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        var reader = new SqliteIndexReader(SqliteDsn.Parse("sqlite://" + file));

        var nodes = await reader.ReadAsync("ext", TestContext.Current.CancellationToken);
        var missing = await reader.ReadAsync("other", TestContext.Current.CancellationToken);

        nodes.ShouldNotBeNull();
        nodes.Count.ShouldBe(3);
        nodes.Where(n => n.Leaf).Select(n => (n.Uuid, n.Name, n.Size, n.Etag, n.MPath)).ShouldBe([("f1", "a b.txt", 5L, "e1", "1.1.1")]);
        missing.ShouldBeNull();
    }
}
