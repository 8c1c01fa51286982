using System.Buffers;
using System.Text;

namespace Cellar.Databases.MySql.Internal;

/// <summary>
/// Splits a SQL script into statements the way the <c>mariadb</c> client does: quotes (with
/// backslash escapes), backticks, comments and <c>DELIMITER</c> lines are understood, so strings
/// holding semicolons stay whole. Line comments are dropped; block comments (and <c>/*! … */</c>) are kept.
/// </summary>
internal sealed class SqlScriptReader(Stream input) : IDisposable
{
    private static readonly SearchValues<byte> SingleQuoteStops = SearchValues.Create("'\\"u8);
    private static readonly SearchValues<byte> DoubleQuoteStops = SearchValues.Create("\"\\"u8);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
    private readonly ByteBuffer _statement = new(1 << 16);
    private int _pos;
    private int _end;
    private bool _eof;
    private byte[] _delimiter = ";"u8.ToArray();
    private SearchValues<byte> _normalStops = SearchValues.Create("'\"`-#/;"u8);

    /// <summary>Returns the next statement, or null at the end of the script.</summary>
    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        _statement.Clear();
        var hasContent = false;
        while (true)
        {
            if (_pos == _end && !await FillAsync(1, ct).ConfigureAwait(false))
            {
                return hasContent ? Encoding.UTF8.GetString(_statement.Span) : null;
            }

            var b = _buffer[_pos];
            if (!hasContent && b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _pos++;
                continue;
            }

            if (!hasContent && (b == 'D' || b == 'd'))
            {
                await FillAsync(11, ct).ConfigureAwait(false);
                var ahead = _buffer.AsSpan(_pos, _end - _pos);
                if (ahead.Length >= 10 && Ascii.EqualsIgnoreCase(ahead[..9], "DELIMITER"u8) && ahead[9] is (byte)' ' or (byte)'\t')
                {
                    var line = await ReadLineAsync(ct).ConfigureAwait(false);
                    var value = line[10..].Trim();
                    if (value.Length == 0)
                    {
                        throw new FormatException("a DELIMITER line names no delimiter.");
                    }

                    _delimiter = Encoding.UTF8.GetBytes(value);
                    _normalStops = SearchValues.Create([.. "'\"`-#/"u8, _delimiter[0]]);
                    continue;
                }
            }

            switch (b)
            {
                case (byte)'\'' or (byte)'"' or (byte)'`':
                    hasContent = true;
                    await CopyQuotedAsync(b, ct).ConfigureAwait(false);
                    continue;
                case (byte)'#':
                    await ReadLineAsync(ct).ConfigureAwait(false);
                    continue;
                case (byte)'-':
                    await FillAsync(3, ct).ConfigureAwait(false);
                    if (_end - _pos >= 2 && _buffer[_pos + 1] == '-' && (_end - _pos == 2 || _buffer[_pos + 2] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
                    {
                        await ReadLineAsync(ct).ConfigureAwait(false);
                        continue;
                    }

                    break;
                case (byte)'/':
                    await FillAsync(2, ct).ConfigureAwait(false);
                    if (_end - _pos >= 2 && _buffer[_pos + 1] == '*')
                    {
                        hasContent = true;
                        await CopyBlockCommentAsync(ct).ConfigureAwait(false);
                        continue;
                    }

                    break;
            }

            if (b == _delimiter[0])
            {
                await FillAsync(_delimiter.Length, ct).ConfigureAwait(false);
                if (_buffer.AsSpan(_pos, _end - _pos).StartsWith(_delimiter))
                {
                    _pos += _delimiter.Length;
                    if (hasContent)
                    {
                        return Encoding.UTF8.GetString(_statement.Span);
                    }

                    continue;
                }
            }

            // Plain text: copy this byte and everything up to the next byte that may matter.
            hasContent = true;
            var rest = _buffer.AsSpan(_pos + 1, _end - _pos - 1);
            var stop = rest.IndexOfAny(_normalStops);
            var take = stop < 0 ? rest.Length + 1 : stop + 1;
            _statement.Append(_buffer.AsSpan(_pos, take));
            _pos += take;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _statement.Dispose();
    }

    private async ValueTask CopyQuotedAsync(byte quote, CancellationToken ct)
    {
        _statement.Append(quote);
        _pos++;
        while (true)
        {
            if (_pos == _end && !await FillAsync(1, ct).ConfigureAwait(false))
            {
                throw new FormatException("the script ends inside a quoted string.");
            }

            var span = _buffer.AsSpan(_pos, _end - _pos);
            var i = quote switch
            {
                (byte)'\'' => span.IndexOfAny(SingleQuoteStops),
                (byte)'"' => span.IndexOfAny(DoubleQuoteStops),
                _ => span.IndexOf(quote),
            };
            if (i < 0)
            {
                _statement.Append(span);
                _pos = _end;
                continue;
            }

            _statement.Append(span[..(i + 1)]);
            _pos += i + 1;
            if (span[i] == quote)
            {
                return;
            }

            // A backslash: the next byte is taken as is.
            if (_pos == _end && !await FillAsync(1, ct).ConfigureAwait(false))
            {
                throw new FormatException("the script ends inside a quoted string.");
            }

            _statement.Append(_buffer[_pos]);
            _pos++;
        }
    }

    private async ValueTask CopyBlockCommentAsync(CancellationToken ct)
    {
        _statement.Append(_buffer.AsSpan(_pos, 2));
        _pos += 2;
        while (true)
        {
            if (_pos == _end && !await FillAsync(1, ct).ConfigureAwait(false))
            {
                throw new FormatException("the script ends inside a /* comment.");
            }

            var span = _buffer.AsSpan(_pos, _end - _pos);
            var star = span.IndexOf((byte)'*');
            if (star < 0)
            {
                _statement.Append(span);
                _pos = _end;
                continue;
            }

            _statement.Append(span[..(star + 1)]);
            _pos += star + 1;
            await FillAsync(1, ct).ConfigureAwait(false);
            if (_pos < _end && _buffer[_pos] == '/')
            {
                _statement.Append((byte)'/');
                _pos++;
                return;
            }
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_pos == _end && !await FillAsync(1, ct).ConfigureAwait(false))
            {
                break;
            }

            var span = _buffer.AsSpan(_pos, _end - _pos);
            var nl = span.IndexOf((byte)'\n');
            if (nl < 0)
            {
                line.AddRange(span);
                _pos = _end;
                continue;
            }

            line.AddRange(span[..nl]);
            _pos += nl + 1;
            break;
        }

        return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available unless the input ends; false when none are.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken ct)
    {
        while (_end - _pos < count && !_eof)
        {
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _pos = 0;
            }

            var read = await input.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }

        return _end > _pos;
    }
}
