using System.Text;

namespace Cellar.Cli.Monitoring;

/// <summary>
/// Passes output through to the real writer and keeps its last lines (stdout and stderr
/// interleaved, as a person reading the terminal would have seen them) for a failure ping.
/// </summary>
internal sealed class OutputTail(int maxLines)
{
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _current = new();
    private readonly Lock _gate = new();

    public TextWriter Wrap(TextWriter inner) => new TeeWriter(inner, this);

    public string Text
    {
        get
        {
            lock (_gate)
            {
                var lines = _lines.ToList();
                if (_current.Length > 0)
                {
                    lines.Add(_current.ToString());
                }

                return string.Join('\n', lines.TakeLast(maxLines));
            }
        }
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            Append(line + "\n");
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    _lines.Enqueue(_current.ToString());
                    _current.Clear();
                    while (_lines.Count > maxLines)
                    {
                        _lines.Dequeue();
                    }

                    break;
                case '\r':
                    _current.Clear(); // a progress line redrawn in place: keep only its last state
                    break;
                default:
                    _current.Append(c);
                    break;
            }
        }
    }

    private sealed class TeeWriter(TextWriter inner, OutputTail tail) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            lock (tail._gate)
            {
                tail.Append([value]);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            inner.Write(buffer, index, count);
            lock (tail._gate)
            {
                tail.Append(buffer.AsSpan(index, count));
            }
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            lock (tail._gate)
            {
                tail.Append(value);
            }
        }

        public override void Flush() => inner.Flush();
    }
}
