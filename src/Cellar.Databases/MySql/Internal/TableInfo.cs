namespace Cellar.Databases.MySql.Internal;

/// <summary>A base table to dump: its definition, stored columns and row order.</summary>
internal sealed record TableInfo(string Name, string Engine, long EstimatedBytes)
{
    public string CreateStatement { get; set; } = "";

    public IReadOnlyList<ColumnInfo> Columns { get; set; } = [];

    /// <summary>Columns of the primary key (or a unique NOT NULL key), else every column.</summary>
    public IReadOnlyList<string> OrderColumns { get; set; } = [];

    /// <summary>True when <see cref="OrderColumns"/> is a unique key (primary or unique NOT NULL), not the fallback of every column.</summary>
    public bool OrderIsUnique { get; set; }

    /// <summary>The server's estimate of the row count (information_schema TABLE_ROWS), to decide on splitting.</summary>
    public long EstimatedRows { get; set; }

    /// <summary>True when a snapshot transaction sees this table at one moment (InnoDB); MyISAM, Aria, MEMORY ... need a lock.</summary>
    public bool IsTransactional => Engine.Equals("InnoDB", StringComparison.OrdinalIgnoreCase) || Engine.Equals("RocksDB", StringComparison.OrdinalIgnoreCase);

    public string StreamName => DumpFileNames.ForTable(Name);
}
