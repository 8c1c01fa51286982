namespace Cellar.Repository.Policy;

/// <summary>A retention request that cannot be carried out safely; the message says why and what to do.</summary>
public sealed class PolicyException(string message) : InvalidOperationException(message);
