namespace Cellar.Repository.Storage;

/// <summary>One file as a backend lists it.</summary>
public readonly record struct RemoteFile(string Name, long Size);
