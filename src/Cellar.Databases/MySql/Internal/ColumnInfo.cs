namespace Cellar.Databases.MySql.Internal;

/// <summary>One stored (not generated) column of a table.</summary>
internal sealed record ColumnInfo(string Name, string DataType, ColumnKind Kind, string? CharacterSet)
{
    public static ColumnKind KindOf(string dataType, string? characterSet) => dataType.ToLowerInvariant() switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "decimal" or "numeric" or "double" or "real" or "year" => ColumnKind.Number,
        "float" => ColumnKind.Float,
        "bit" => ColumnKind.Bit,
        "date" or "time" or "datetime" or "timestamp" => ColumnKind.Temporal,
        "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => ColumnKind.Binary,
        "geometry" or "point" or "linestring" or "polygon" or "multipoint" or "multilinestring" or "multipolygon" or "geometrycollection"
            or "geomcollection" => ColumnKind.Binary,
        _ when characterSet is null or "binary" => ColumnKind.Binary,
        _ when characterSet is "utf8mb4" or "utf8mb3" or "utf8" or "ascii" => ColumnKind.Utf8Text,
        _ => ColumnKind.OtherText,
    };

    /// <summary>The select-list expression that brings the value to the client as bytes in the form it is written.</summary>
    public string SelectExpression
    {
        get
        {
            var id = SqlText.Identifier(Name);
            return Kind switch
            {
                ColumnKind.Binary => id,
                ColumnKind.Float => $"CAST(CAST({id} AS DOUBLE) AS BINARY)",
                ColumnKind.Bit => $"CAST(CAST({id} AS UNSIGNED) AS BINARY)",
                _ => $"CAST({id} AS BINARY)",
            };
        }
    }
}
