namespace Cellar.Repository.Policy;

/// <summary>A snapshot that <c>forget</c> may remove: retention facts plus its ID (64 hex digits).</summary>
public interface IForgetCandidate : IRetentionCandidate
{
    string Id { get; }
}
