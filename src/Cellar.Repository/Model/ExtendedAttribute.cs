namespace Cellar.Repository.Model;

/// <summary>One extended attribute of a node: name and raw value.</summary>
public sealed record ExtendedAttribute(string Name, byte[]? Value);
