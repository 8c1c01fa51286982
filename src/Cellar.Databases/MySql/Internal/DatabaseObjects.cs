namespace Cellar.Databases.MySql.Internal;

/// <summary>Everything the dump needs to know about a database before reading rows.</summary>
internal sealed record DatabaseObjects(
    IReadOnlyList<TableInfo> Tables,
    IReadOnlyList<string> ViewNames,
    IReadOnlyList<string> TriggerNames,
    string DefaultCharacterSet,
    string DefaultCollation);
