namespace Cellar.Databases.MySql.Internal;

/// <summary>Passes writes to a stream that must outlive the writer (disposing this leaves it open).</summary>
internal sealed class NonClosingStream(Stream inner) : WriteOnlyStream
{
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
}
