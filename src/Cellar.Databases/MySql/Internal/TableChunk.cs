namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// One stream of a table: the whole table, or one key range of a split table (<paramref name="Low"/>
/// inclusive, <paramref name="High"/> exclusive, null = unbounded). Ranges of one table partition its
/// key's order, so every row falls in exactly one; range 0 carries the table's definition.
/// </summary>
internal sealed record TableChunk(TableInfo Table, int Index, int Count, object? Low, object? High)
{
    public static TableChunk Whole(TableInfo table) => new(table, 0, 1, null, null);

    public string StreamName => Index == 0 ? Table.StreamName : DumpFileNames.ForTablePart(Table.Name, Index);

    public bool IsFirst => Index == 0;

    /// <summary>The WHERE clause of the range (parameters <c>@low</c>, <c>@high</c>), empty for a whole table.</summary>
    public string Where
    {
        get
        {
            if (Count == 1)
            {
                return "";
            }

            var key = SqlText.Identifier(Table.OrderColumns[0]);
            return (Low, High) switch
            {
                (null, null) => "",
                (null, _) => $" WHERE {key} < @high",
                (_, null) => $" WHERE {key} >= @low",
                _ => $" WHERE {key} >= @low AND {key} < @high",
            };
        }
    }
}
