namespace Cellar.Testing.Cells;

/// <summary>The S3 datasource a generated installation points at (a real server in tests), its secret kept in the vault.</summary>
public sealed record CellsS3Datasource(string Endpoint, string Bucket, string AccessKey, string SecretKey, string Prefix = "", string Name = "archive")
{
    /// <summary>The vault entry name pydio.json's ApiSecret holds.</summary>
    public const string VaultEntry = "4c0b2a77-6a36-4b1f-9d5e-2f1f0e3c9a10";
}
