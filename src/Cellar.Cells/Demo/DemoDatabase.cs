using System.Text;

namespace Cellar.Cells.Demo;

/// <summary>
/// The SQL database of <c>cellar demo</c>'s sample installation: two Cells tables with a few rows,
/// on SQLite (a file in the working dir, no server) or on a private MariaDB or PostgreSQL server
/// started in the demo folder. <see cref="RowsAsync"/> renders every row, to compare after the restore.
/// </summary>
internal abstract class DemoDatabase : IAsyncDisposable
{
    public const string Name = "cells";

    public static readonly string[] Tables = ["idm_user_idx_tree", "data_index_pydiods1_idx_tree"];

    public static readonly string[] Engines = ["sqlite", "mariadb", "postgres"];

    /// <summary>What it is and where, for the demo's output.</summary>
    public abstract string Description { get; }

    /// <summary>The DSN as a fresh Cells v5 install writes it (scheme first), without Cells' template parameters.</summary>
    public abstract string Dsn { get; }

    /// <summary>The database file when it lives among the installation's files (SQLite), else null.</summary>
    public virtual string? LocalFile => null;

    /// <summary>Starts the engine's private server (none for SQLite) in <paramref name="folder"/>; a missing server is an <see cref="Installation.InstallationRefusedException"/> naming the Debian package.</summary>
    public static async Task<DemoDatabase> StartAsync(string engine, string folder, string workingDir, CancellationToken cancellationToken) => engine switch
    {
        "sqlite" => new DemoSqliteDatabase(Path.Combine(workingDir, "cells.db")),
        "mariadb" => await DemoMariaDbDatabase.StartAsync(folder, cancellationToken).ConfigureAwait(false),
        "postgres" => await DemoPostgresDatabase.StartAsync(folder, cancellationToken).ConfigureAwait(false),
        _ => throw new ArgumentException($"unknown demo engine '{engine}': give --engine {string.Join(", ", Engines)}.", nameof(engine)),
    };

    /// <summary>Creates the database, its tables and rows.</summary>
    public abstract Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>Every row of every table, one line each (<c>table|column|column</c>), in key order.</summary>
    public async Task<string> RowsAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var table in Tables)
        {
            foreach (var row in await TableRowsAsync(table, cancellationToken).ConfigureAwait(false))
            {
                text.Append(table).Append('|').Append(row).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The rows of one table in key order, each its columns joined by <c>|</c>.</summary>
    protected abstract Task<IReadOnlyList<string>> TableRowsAsync(string table, CancellationToken cancellationToken);

    /// <summary>Destroys the database (for SQLite the file goes with the working dir).</summary>
    public abstract Task DropAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
