namespace Cellar.Databases;

/// <summary>What a probe saw: the engine, the server's version, the database's tables and size in bytes.</summary>
public sealed record DatabaseServerInfo(string Engine, string Version, int Tables, long Bytes);
