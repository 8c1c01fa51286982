namespace Cellar.Databases;

/// <summary>Where a per-table dump is read back from: the same names an <see cref="IDumpSink"/> received.</summary>
public interface IDumpSource
{
    /// <summary>Opens the stream a sink wrote under <paramref name="name"/>, or throws <see cref="FileNotFoundException"/>. Called concurrently for different names.</summary>
    ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken);
}
