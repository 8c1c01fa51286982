using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cellar.Cells;

/// <summary>
/// Rewrites a restored pydio.json for a new place: every absolute path under an old folder moves
/// under the new one (in plain values and inside URLs such as <c>boltdb:///…</c> or <c>file://…</c>),
/// the default database's DSN is replaced when asked, and <c>PeerAddress</c> removed for a new host. The original is kept beside it as
/// <c>pydio.json.orig</c> (or <c>.orig.N</c>). Everything else in the JSON keeps its value.
/// </summary>
public static class ConfigRelocator
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Rewrites the file in place and returns where the original was kept.</summary>
    public static async Task<string> RelocateFileAsync(string path, ConfigRelocation relocation, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var rewritten = Relocate(path, text, relocation);
        var keep = path + ".orig";
        for (var n = 1; File.Exists(keep); n++)
        {
            keep = $"{path}.orig.{n}";
        }

        File.Copy(path, keep);
        var temp = path + ".cellar-tmp";
        await File.WriteAllTextAsync(temp, rewritten, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
        }

        File.Move(temp, path, overwrite: true);
        return keep;
    }

    /// <summary>The relocated JSON text.</summary>
    public static string Relocate(string path, string text, ConfigRelocation relocation)
    {
        var config = PydioConfigReader.Read(path, text);
        var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var folders = relocation.Folders
            .Where(f => f.From.TrimEnd('/').Length > 0 && f.From != f.To)
            .Select(f => (From: f.From.TrimEnd('/'), To: f.To.TrimEnd('/')))
            .OrderByDescending(f => f.From.Length)
            .ToList();
        var map = folders.GroupBy(f => f.From, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().To, StringComparer.Ordinal);

        // One pass with the longest old folder first: an occurrence is rewritten once, by the most
        // specific folder, and only where it is a whole path (not a prefix of a longer name).
        var pattern = folders.Count == 0 ? null : new Regex(
            "(?<![A-Za-z0-9._~-])(" + string.Join('|', folders.Select(f => Regex.Escape(f.From))) + ")(?![A-Za-z0-9._~-])",
            RegexOptions.CultureInvariant);

        if (relocation.NewDsn is { } newDsn)
        {
            var oldDsn = config.SqlDsn;
            var replacement = oldDsn.StartsWith("mysql://", StringComparison.Ordinal) && !newDsn.Contains("://", StringComparison.Ordinal) ? "mysql://" + newDsn : newDsn;
            root = Rewrite(root, value => value == oldDsn ? replacement : null)!;
        }

        if (pattern is not null)
        {
            root = Rewrite(root, value =>
            {
                var moved = pattern.Replace(value, m => map[m.Groups[1].Value]);
                return moved == value ? null : moved;
            })!;
        }

        if (relocation.ClearPeerAddresses && root["services"] is JsonObject services)
        {
            foreach (var (_, service) in services)
            {
                (service as JsonObject)?.Remove("PeerAddress");
            }
        }

        return root.ToJsonString(Output) + "\n";
    }

    private static JsonNode? Rewrite(JsonNode? node, Func<string, string?> change)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = o[key];
                    var rewritten = Rewrite(child, change);
                    if (!ReferenceEquals(rewritten, child))
                    {
                        o[key] = rewritten;
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = a[i];
                    var rewritten = Rewrite(child, change);
                    if (!ReferenceEquals(rewritten, child))
                    {
                        a[i] = rewritten;
                    }
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && change(v.GetValue<string>()) is { } replaced:
                return JsonValue.Create(replaced);
            default:
                return node;
        }
    }
}
