namespace Cellar.Repository;

/// <summary>ResticRepository data that fails a check: a MAC, a hash, a header, a JSON document.</summary>
public sealed class RepositoryCorruptException(string message, Exception? inner = null) : IOException(message, inner);
