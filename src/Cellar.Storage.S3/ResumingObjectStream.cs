using Amazon.S3.Model;
using Cellar.Repository.Storage;

namespace Cellar.Storage.S3;

/// <summary>
/// The body of a GET that survives a broken connection: a failed read is resumed with a ranged GET
/// from the current offset, only while the object keeps the ETag it had when opened (otherwise the
/// bytes would mix two versions and the read fails).
/// </summary>
internal sealed class ResumingObjectStream(S3ObjectStore store, string key, string etag, long length, GetObjectResponse first) : Stream
{
    private GetObjectResponse? _response = first;
    private Stream? _body = first.ResponseStream;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (_body is null)
                {
                    _response = await store.ReopenAsync(key, etag, _position, cancellationToken).ConfigureAwait(false);
                    _body = _response.ResponseStream;
                }

                var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"the connection ended after {_position} of {length} bytes");
                }

                _position += read;
                return read;
            }
            catch (Exception ex) when (ex is not StorageException && ex is IOException or HttpRequestException && attempt < store.RetryDelays.Count)
            {
                Drop();
                store.OnRetry?.Invoke($"{store.Description}: reading {key} broke at byte {_position} ({ex.Message}); resuming in {store.RetryDelays[attempt].TotalSeconds:0.#} s");
                await Task.Delay(store.RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not StorageException && ex is IOException or HttpRequestException)
            {
                throw new StorageException($"{store.Description}: reading {key} broke at byte {_position} of {length} and could not be resumed ({ex.Message}).", isTransient: true, ex);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }

        base.Dispose(disposing);
    }

    private void Drop()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }
}
