using System.Globalization;
using System.Net;
using System.Text;

namespace Cellar.Cells.History;

/// <summary>A small inline SVG chart (bars or a line, one point per backup), drawn without scripts.</summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 220;
    private const int Left = 70;
    private const int Right = 12;
    private const int Top = 14;
    private const int Bottom = 34;

    public sealed record Series(string Name, string Color, IReadOnlyList<double?> Values, bool Line = false);

    public static string Draw(string id, string title, IReadOnlyList<DateTimeOffset> times, Func<double, string> format, params Series[] series)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\"><figcaption>{Html(title)}</figcaption>");
        var count = times.Count;
        var max = series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        if (count == 0 || max <= 0)
        {
            svg.Append("<p class=\"empty\">No figures recorded yet.</p></figure>");
            return svg.ToString();
        }

        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Html(title)}\">");
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(int i) => Left + (i + 0.5) * plotW / count;
        double Y(double v) => Top + plotH - (v / max * plotH);
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Y(max * fraction);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\">{Html(format(max * fraction))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 10}\" font-size=\"11\">{times[0]:yyyy-MM-dd}</text>");
        if (count > 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 10}\" text-anchor=\"end\" font-size=\"11\">{times[^1]:yyyy-MM-dd}</text>");
        }

        var bars = series.Where(s => !s.Line).ToList();
        var slot = plotW / count;
        var barWidth = Math.Max(1.5, Math.Min(24, slot * 0.8 / Math.Max(bars.Count, 1)));
        for (var b = 0; b < bars.Count; b++)
        {
            for (var i = 0; i < count; i++)
            {
                if (bars[b].Values[i] is not { } value)
                {
                    continue;
                }

                var x = X(i) - barWidth * bars.Count / 2 + b * barWidth;
                var y = Y(value);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{barWidth:0.##}\" height=\"{Top + plotH - y:0.##}\" fill=\"{bars[b].Color}\"><title>{times[i]:yyyy-MM-dd HH:mm} {Html(bars[b].Name)}: {Html(format(value))}</title></rect>");
            }
        }

        foreach (var line in series.Where(s => s.Line))
        {
            var points = Enumerable.Range(0, count).Where(i => line.Values[i] is not null)
                .Select(i => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.##},{Y(line.Values[i]!.Value):0.##}")).ToList();
            if (points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"><title>{Html(line.Name)}</title></polyline>");
            }
        }

        svg.Append("</svg><p class=\"legend\">");
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{s.Color}\"></i>{Html(s.Name)}</span>");
        }

        svg.Append("</p></figure>");
        return svg.ToString();
    }

    public static string Html(string text) => WebUtility.HtmlEncode(text);
}
