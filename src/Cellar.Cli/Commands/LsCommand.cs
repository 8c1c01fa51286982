using System.CommandLine;
using System.Globalization;
using System.Text;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Json;
using Cellar.Repository.Model;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar ls SNAPSHOT [PATH]</c>: lists the files in a snapshot (below PATH).</summary>
internal sealed class LsCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("ls", "List the files in a snapshot");
        var snapshotArgument = new Argument<string>("snapshot") { Description = "Snapshot id (or unique prefix), or 'latest'" };
        var pathArgument = new Argument<string?>("path") { Description = "Only list this directory and what is below it", Arity = ArgumentArity.ZeroOrOne };
        var filter = new SnapshotFilterOptions();
        command.Arguments.Add(snapshotArgument);
        command.Arguments.Add(pathArgument);
        filter.AddTo(command);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context).ConfigureAwait(false);
            var snapshot = await repository.FindSnapshotAsync(context.Get(snapshotArgument)!, context.CancellationToken, filter.Read(context)).ConfigureAwait(false);
            var prefix = NormalizePath(context.Get(pathArgument));
            var output = new Lister(repository, context, prefix);
            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartObject();
                w.Name("time"); w.Time(snapshot.Time);
                w.Name("tree"); if (snapshot.Tree is { } t) w.Id(t); else w.Null();
                w.Name("paths"); w.StartArray(); foreach (var p in snapshot.Paths ?? []) w.String(p); w.EndArray();
                w.Name("hostname"); w.String(snapshot.Hostname ?? "");
                w.Name("id"); w.Id(snapshot.Id);
                w.Name("short_id"); w.String(snapshot.Id.ToShortString());
                w.Name("struct_type"); w.String("snapshot");
                w.EndObject();
                await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"snapshot {snapshot.Id.ToShortString()} of [{string.Join(' ', snapshot.Paths ?? [])}] at {snapshot.Time}:").ConfigureAwait(false);
            }

            if (snapshot.Tree is { } tree)
            {
                await output.ListAsync(tree, "").ConfigureAwait(false);
            }

            if (prefix is not null && !output.Found)
            {
                throw new UserException($"{prefix} is not in snapshot {snapshot.Id.ToShortString()}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string? NormalizePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var clean = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return clean == "/" ? null : clean;
    }

    private sealed class Lister(ResticRepository repository, CommandContext context, string? prefix)
    {
        public bool Found { get; private set; }

        public async Task ListAsync(Id treeId, string path)
        {
            var tree = await repository.LoadTreeAsync(treeId, context.CancellationToken).ConfigureAwait(false);
            foreach (var node in tree.Nodes)
            {
                var nodePath = path + "/" + node.Name;
                var inside = prefix is null || nodePath == prefix || nodePath.StartsWith(prefix + "/", StringComparison.Ordinal);
                var above = prefix is not null && prefix.StartsWith(nodePath + "/", StringComparison.Ordinal);
                if (inside)
                {
                    Found = true;
                    await PrintAsync(node, nodePath).ConfigureAwait(false);
                }

                if ((inside || above) && node.Subtree is { } subtree)
                {
                    await ListAsync(subtree, nodePath).ConfigureAwait(false);
                }
            }
        }

        private async Task PrintAsync(Node node, string path)
        {
            if (!context.Json)
            {
                await context.Out.WriteLineAsync(path).ConfigureAwait(false);
                return;
            }

            var w = new GoJsonWriter();
            w.StartObject();
            w.Name("name"); w.StringBytes(node.RawName);
            w.Name("type"); w.String(node.Type);
            w.Name("path"); w.String(path);
            w.Name("uid"); w.Number(node.Uid);
            w.Name("gid"); w.Number(node.Gid);
            if (node.Type == NodeType.File) { w.Name("size"); w.Number(node.Size); }
            w.Name("mode"); w.Number(node.Mode);
            w.Name("permissions"); w.String(GoModeString(node.Mode));
            w.Name("mtime"); w.Time(node.ModTime);
            w.Name("atime"); w.Time(node.AccessTime);
            w.Name("ctime"); w.Time(node.ChangeTime);
            w.Name("struct_type"); w.String("node");
            w.EndObject();
            await context.Out.WriteLineAsync(Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
        }
    }

    /// <summary>Go's FileMode.String(): type letters then rwx bits, e.g. <c>drwxr-xr-x</c>.</summary>
    internal static string GoModeString(uint mode)
    {
        const string letters = "dalTLDpSugct?";
        var text = new StringBuilder();
        for (var i = 0; i < letters.Length; i++)
        {
            if ((mode & (1u << (31 - i))) != 0)
            {
                text.Append(letters[i]);
            }
        }

        if (text.Length == 0)
        {
            text.Append('-');
        }

        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            text.Append((mode & (1u << (8 - i))) != 0 ? rwx[i] : '-');
        }

        return text.ToString();
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
