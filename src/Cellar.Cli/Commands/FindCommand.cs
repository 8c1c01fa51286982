using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cellar.Cli.Repositories;
using Cellar.Repository.Browsing;
using Cellar.Repository.Json;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar find PATTERN</c>: entries matching a pattern in every snapshot (newest first), printed
/// as restic 0.14 prints them: per snapshot a heading and one path per line (<c>--long</c>: mode,
/// uid, gid, size, time), or with <c>--json</c> one array of <c>{matches, hits, snapshot}</c>.
/// </summary>
internal sealed class FindCommand : ICellarCommand
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "dd.MM.yyyy", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss",
    ];

    public Command Build(GlobalOptions globals)
    {
        var command = new Command("find", "Find files and folders in snapshots by name or path pattern");
        var pattern = new Argument<string>("PATTERN") { Description = "Name or path pattern (restic's syntax: *, ?, [a-z], **; a leading / anchors it at the root)" };
        var snapshots = new Option<string[]>("--snapshot", "-s") { Description = "Search only this snapshot (repeatable; default: all the filters keep)" };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "Ignore case" };
        var longList = new Option<bool>("--long", "-l") { Description = "Long listing: mode, uid, gid, size and time" };
        var oldest = new Option<string?>("--oldest", "-O") { Description = "Only entries modified at or after this time (e.g. 2024-05-01 or '2024-05-01 13:00')" };
        var newest = new Option<string?>("--newest", "-N") { Description = "Only entries modified at or before this time" };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(pattern);
        foreach (var option in new Option[] { snapshots, ignoreCase, longList, oldest, newest })
        {
            command.Options.Add(option);
        }

        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            FindQuery query;
            try
            {
                query = new FindQuery(context.Get(pattern)!, context.Get(ignoreCase), ParseTime(context.Get(oldest)), ParseTime(context.Get(newest)));
            }
            catch (ArgumentException ex)
            {
                throw new UserException(ex.Message, ExitCodes.Usage);
            }

            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var selected = await SnapshotSelection.SelectAsync(repository, context.Get(snapshots) ?? [], filter.Read(context), context.CancellationToken).ConfigureAwait(false);
            var finder = new SnapshotFinder(repository, query);
            var json = new StringBuilder();
            var first = true;
            foreach (var snapshot in selected.Reverse())
            {
                var matches = await finder.FindAsync(snapshot, context.CancellationToken).ConfigureAwait(false);
                if (matches.Count == 0)
                {
                    continue;
                }

                if (context.Json)
                {
                    json.Append(json.Length == 0 ? "[" : ",").Append("{\"matches\":[");
                    json.AppendJoin(',', matches.Select(m => MatchJson(m.Path, m.Node)));
                    json.Append("],\"hits\":").Append(matches.Count).Append(",\"snapshot\":\"").Append(snapshot.Id.ToString()).Append("\"}");
                    continue;
                }

                if (!first)
                {
                    await context.Out.WriteLineAsync().ConfigureAwait(false);
                }

                first = false;
                await context.Out.WriteLineAsync($"Found matching entries in snapshot {snapshot.Id.ToShortString()} from {LocalTime(snapshot.Time)}").ConfigureAwait(false);
                foreach (var (path, node) in matches)
                {
                    await context.Out.WriteLineAsync(context.Get(longList) ? LongLine(path, node) : path).ConfigureAwait(false);
                }
            }

            if (context.Json)
            {
                await context.Out.WriteLineAsync(json.Length == 0 ? "[]" : json.Append(']').ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>restic's formatNode in long form: Go mode string, uid, gid, size, local time, path (and a link's target).</summary>
    internal static string LongLine(string path, Node node)
    {
        var target = node.Type == NodeType.Symlink ? " -> " + node.LinkTarget : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{LsCommand.GoModeString(TypeBits(node) | node.Mode)} {node.Uid,5} {node.Gid,5} {node.Size,6} {LocalTime(node.ModTime)} {path}{target}");
    }

    private static uint TypeBits(Node node) => node.Type switch
    {
        NodeType.Dir => GoFileMode.Dir,
        NodeType.Symlink => GoFileMode.Symlink,
        NodeType.Dev => GoFileMode.Device,
        NodeType.CharDev => GoFileMode.Device | GoFileMode.CharDevice,
        NodeType.Fifo => GoFileMode.NamedPipe,
        NodeType.Socket => GoFileMode.Socket,
        _ => 0,
    };

    /// <summary>A match as restic's find prints it: path and permissions first, then the node without name, inode, xattrs, device, content and subtree.</summary>
    private static string MatchJson(string path, Node node)
    {
        var w = new GoJsonWriter();
        node.WriteTo(w);
        using var parsed = JsonDocument.Parse(w.ToArray());
        var o = new GoJsonWriter();
        o.StartObject();
        o.Name("path"); o.String(path);
        o.Name("permissions"); o.String(LsCommand.GoModeString(TypeBits(node) | node.Mode));
        foreach (var property in parsed.RootElement.EnumerateObject())
        {
            if (property.Name is "name" or "inode" or "extended_attributes" or "device" or "content" or "subtree")
            {
                continue;
            }

            o.Name(property.Name);
            o.RawJson(Encoding.UTF8.GetBytes(property.Value.GetRawText()));
        }

        o.EndObject();
        return Encoding.UTF8.GetString(o.WrittenSpan);
    }

    private static string LocalTime(GoTime time) =>
        time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static GoTime? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local))
        {
            return GoTime.FromDateTimeOffset(new DateTimeOffset(local));
        }

        throw new ArgumentException($"unable to parse time: \"{text}\" (use e.g. 2024-05-01, '2024-05-01 13:00' or '01.05.2024 13:00:00').");
    }
}
