namespace Cellar.Cells.Consistency;

/// <summary>
/// Where Cells keeps a datasource's index. The index service of datasource NAME uses the table
/// prefix <c>data_index_NAME</c> (its service name <c>data.index.NAME</c> with dots made
/// underscores; pydio/cells data/source/index/grpc/plugins.go) and the index DAO appends
/// <c>_idx</c> to it (common/sql/index/sql.go: <c>TablePrefix: dao.Prefix() + "_idx"</c>), so the
/// nodes live in <c>data_index_NAME_idx_tree</c>.
/// </summary>
public static class IndexTables
{
    public static string TreeTable(string datasource) => "data_index_" + datasource.Replace('.', '_') + "_idx_tree";

    /// <summary>
    /// The datasource's tree table among a database's tables: <c>data_index_NAME_idx_tree</c> itself, or
    /// else the one table that ends with it (a v5 DSN may put its <c>prefix</c> template before the name);
    /// null when there is none; <see cref="InvalidDataException"/> when several tables could be it.
    /// </summary>
    public static string? Find(IEnumerable<string> tables, string datasource)
    {
        var exact = TreeTable(datasource);
        var candidates = tables.Where(t => t.EndsWith(exact, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Contains(exact, StringComparer.Ordinal))
        {
            return exact;
        }

        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new InvalidDataException($"several tables could be the index of datasource {datasource} ({string.Join(", ", candidates)})"),
        };
    }

    /// <summary>
    /// Whether a <c>leaf</c> value marks a file: 1 in both v4 (0 for a folder, common/sql/index/migrations)
    /// and v5 (tree.NodeType_LEAF = 1, COLLECTION = 2; v5 rewrites the v4 folders' 0 into 2 when it
    /// migrates: common/storage/sql/index/gorm-impl.go, Migrate).
    /// </summary>
    public static bool IsLeaf(long leaf) => leaf == 1;

    /// <summary>The name of the hidden file holding a folder's node uuid in structured storage (common.PydioSyncHiddenFile).</summary>
    public const string PydioFile = ".pydio";

    /// <summary>The etag Cells gives a flat node while its upload is still under way (common.NodeFlagEtagTemporary).</summary>
    public const string TemporaryEtag = "temporary";
}
