namespace Cellar.Cells;

/// <summary>What an S3 datasource's bucket holds (from a listing, nothing downloaded), or why it could not be listed.</summary>
public sealed record S3Usage(string Datasource, string Location, long Objects, long Bytes, string? Error);
