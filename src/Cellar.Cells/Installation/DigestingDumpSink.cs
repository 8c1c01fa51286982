using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cellar.Databases;

namespace Cellar.Cells.Installation;

/// <summary>
/// Passes a per-table dump through to another sink (or nowhere) while hashing each stream with
/// SHA-256 as it is written: the table digests the manifest records cost no extra pass over the
/// database or the staged files. The dumper writes a table's rows in key order and unchanged data
/// as identical bytes, so dumping the same rows again gives the same digest.
/// </summary>
public sealed class DigestingDumpSink(IDumpSink? inner) : IDumpSink
{
    private readonly ConcurrentDictionary<string, string> _digests = new(StringComparer.Ordinal);

    /// <summary>Stream name → lowercase hex SHA-256 of its bytes, for every stream closed so far.</summary>
    public IReadOnlyDictionary<string, string> Digests => _digests;

    public async ValueTask<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var target = inner is null ? Stream.Null : await inner.OpenAsync(name, cancellationToken).ConfigureAwait(false);
        return new HashingStream(target, digest => _digests[name] = digest);
    }

    private sealed class HashingStream(Stream inner, Action<string> done) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool _closed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            Finish();
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Finish();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Finish()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            done(Convert.ToHexStringLower(_hash.GetHashAndReset()));
            _hash.Dispose();
        }
    }
}
