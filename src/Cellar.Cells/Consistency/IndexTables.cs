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

    /// <summary>The name of the hidden file holding a folder's node uuid in structured storage (common.PydioSyncHiddenFile).</summary>
    public const string PydioFile = ".pydio";

    /// <summary>The etag Cells gives a flat node while its upload is still under way (common.NodeFlagEtagTemporary).</summary>
    public const string TemporaryEtag = "temporary";
}
