namespace Cellar.Repository.Storage;

/// <summary>
/// A backend that must make room before a new repository is written into it (an S3 bucket to
/// create, a folder layout to lay out). <c>init</c> calls it before anything else.
/// </summary>
public interface IPreparableBackend
{
    /// <summary>Creates what a new repository needs; doing it twice is harmless.</summary>
    Task PrepareForNewRepositoryAsync(CancellationToken cancellationToken);
}
