namespace Cellar.Repository.Policy;

/// <summary>What retention needs to know of a snapshot: when, where from, and its tags.</summary>
public interface IRetentionCandidate
{
    DateTimeOffset Time { get; }

    string Hostname { get; }

    IReadOnlyList<string> Paths { get; }

    IReadOnlyList<string> Tags { get; }
}
