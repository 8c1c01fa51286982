namespace Cellar.Cells.Installation;

/// <summary>
/// Where a Cells snapshot keeps what is not a plain file of the installation: the manifest, the
/// database (one SQL stream per table, as the per-table dump writes them), and BoltDB copies
/// taken hot (verified copies, stored apart from the live files they stand for).
/// </summary>
public static class SnapshotLayout
{
    public const string Root = "/.cellar";
    public const string Manifest = "/.cellar/manifest.json";
    public const string Database = "/.cellar/database";
    public const string HotStores = "/.cellar/stores";

    /// <summary>S3 datasource objects: <c>/.cellar/s3/DATASOURCE/KEY</c> (the key without the datasource's prefix).</summary>
    public const string S3Objects = "/.cellar/s3";

    /// <summary>Each S3 datasource's object listing with metadata: <c>/.cellar/s3-listing/DATASOURCE.json</c>.</summary>
    public const string S3Listings = "/.cellar/s3-listing";

    /// <summary>The tag of the temporary snapshot that holds S3 objects downloaded by a backup, removed once the installation snapshot is saved.</summary>
    public const string S3StageTag = "cells-s3-stage";

    /// <summary>Where the output of each <c>--dump-command NAME=…</c> is stored, as <c>/.cellar/commands/NAME</c>.</summary>
    public const string Commands = "/.cellar/commands";

    /// <summary>The tag every installation snapshot carries.</summary>
    public const string Tag = "cells";

    /// <summary>The tag of a snapshot that lacks something (a store that never read sound).</summary>
    public const string IncompleteTag = "incomplete";

    /// <summary>The tag of a quiesced backup's first pass (no manifest, no database), removed once pass 2 is saved.</summary>
    public const string PassOneTag = "cells-pass1";

    /// <summary>Where the output of the dump command <paramref name="name"/> sits in the snapshot.</summary>
    public static string CommandPath(string name) => Commands + "/" + name;

    /// <summary>The tag saying a part is not in the snapshot: <c>excluded-datasource=NAME</c> or <c>not-included=NAME</c>.</summary>
    public static string LeftOutTag(LeftOutPart part) =>
        (part.Kind == LeftOutPart.Excluded ? "excluded-datasource=" : "not-included=") + part.Name;

    /// <summary>Where a hot copy of the store at <paramref name="absolutePath"/> sits in the snapshot.</summary>
    public static string HotStorePath(string absolutePath) => HotStores + "/" + absolutePath.TrimStart('/');
}
