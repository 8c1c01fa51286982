using System.Text.Json;

namespace Cellar.Repository.Json;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over a whole span, or over a stream read in chunks of a reused
/// buffer, so that a large JSON file (an index of a million blobs) is parsed without ever being
/// whole in memory. Token values are valid until the next <see cref="Next"/>.
/// </summary>
internal ref struct ChunkedJsonReader
{
    private const int ChunkSize = 64 * 1024;

    private readonly Stream? _stream;
    private byte[] _buffer;
    private int _length;
    private Utf8JsonReader _reader;

    public ChunkedJsonReader(ReadOnlySpan<byte> json)
    {
        _stream = null;
        _buffer = [];
        _reader = new Utf8JsonReader(json);
    }

    public ChunkedJsonReader(Stream json)
    {
        _stream = json;
        _buffer = new byte[ChunkSize];
        _reader = new Utf8JsonReader([], isFinalBlock: false, default);
    }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    public readonly bool ValueIsEscaped => _reader.ValueIsEscaped;

    /// <summary>The raw bytes of the current token (never split across chunks).</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _reader.ValueSpan;

    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8) => _reader.ValueTextEquals(utf8);

    public readonly bool ValueTextEquals(string text) => _reader.ValueTextEquals(text);

    public readonly string? GetString() => _reader.GetString();

    public readonly ulong GetUInt64() => _reader.GetUInt64();

    /// <summary>The next token; <see cref="JsonException"/> when the JSON ends before it.</summary>
    public JsonTokenType Next()
    {
        while (!_reader.Read())
        {
            if (_stream is null || _reader.IsFinalBlock)
            {
                throw new JsonException("the JSON ends early");
            }

            Refill();
        }

        return _reader.TokenType;
    }

    /// <summary>Steps over the value the reader stands at (an object or array to its end; a scalar stays).</summary>
    public void Skip()
    {
        if (_reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = _reader.CurrentDepth;
        while (Next() is not (JsonTokenType.EndObject or JsonTokenType.EndArray) || _reader.CurrentDepth != depth)
        {
        }
    }

    /// <summary>Keeps the bytes not consumed yet, reads more after them and goes on from the same state.</summary>
    private void Refill()
    {
        var consumed = (int)_reader.BytesConsumed;
        var kept = _length - consumed;
        if (kept == _buffer.Length)
        {
            // One token longer than the buffer (a huge string in an unknown field): grow it.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer.AsSpan(consumed, kept).CopyTo(_buffer);
        _length = kept;
        var final = false;
        while (_length < _buffer.Length)
        {
            var read = _stream!.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                final = true;
                break;
            }

            _length += read;
        }

        _reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), final, _reader.CurrentState);
    }
}
