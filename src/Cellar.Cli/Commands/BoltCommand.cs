using System.CommandLine;
using System.Text.Json.Nodes;
using Cellar.Cells.Bolt;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar bolt check FILE…</c>: verifies BoltDB files from their format (0 sound, 1 torn, 2 usage).</summary>
internal sealed class BoltCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var files = new Argument<string[]>("file")
        {
            Description = "BoltDB files to verify",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var check = new Command("check", "Verify BoltDB files page by page: exit 0 when all are sound, 1 when any is torn");
        check.Arguments.Add(files);
        check.SetHandler(globals, CommandLock.None, async context =>
        {
            var paths = context.Get(files) ?? [];
            if (paths.Length == 0)
            {
                throw new UserException("give one or more BoltDB files to check, e.g. cellar bolt check /var/cells/services/pydio.grpc.jobs/jobs.db", ExitCodes.Usage);
            }

            var results = new List<BoltCheckResult>();
            foreach (var path in paths)
            {
                if (Directory.Exists(path) || !File.Exists(path))
                {
                    throw new UserException($"{path} is not a file; give the BoltDB files to check.", ExitCodes.Usage);
                }

                results.Add(await BoltVerifier.VerifyAsync(path, context.CancellationToken).ConfigureAwait(false));
            }

            if (context.Json)
            {
                var json = JsonNodes.Array(results, r => new JsonObject
                {
                    ["path"] = r.Path,
                    ["sound"] = r.IsSound,
                    ["problems"] = JsonNodes.Strings(r.Problems),
                    ["txid"] = r.Summary?.TxId,
                    ["pageSize"] = r.Summary?.PageSize,
                    ["pages"] = r.Summary?.HighWaterMark,
                    ["keys"] = r.Summary?.Keys,
                    ["buckets"] = r.Summary?.Buckets,
                })!.ToJsonString();
                await context.Out.WriteLineAsync(json).ConfigureAwait(false);
            }
            else
            {
                foreach (var result in results)
                {
                    if (result.IsSound)
                    {
                        var s = result.Summary!;
                        await context.Out.WriteLineAsync(
                            $"{result.Path}: sound (txid {s.TxId}, {s.HighWaterMark} pages of {s.PageSize} bytes, {s.Buckets} buckets, {s.Keys} keys)").ConfigureAwait(false);
                    }
                    else
                    {
                        await context.Out.WriteLineAsync($"{result.Path}: TORN: {result.Problems[0]}").ConfigureAwait(false);
                        foreach (var more in result.Problems.Skip(1).Take(9))
                        {
                            await context.Out.WriteLineAsync($"  also: {more}").ConfigureAwait(false);
                        }
                    }
                }
            }

            return results.All(r => r.IsSound) ? ExitCodes.Success : ExitCodes.Fatal;
        });

        var bolt = new Command("bolt", "Inspect BoltDB files (the key/value stores Cells keeps in its working dir)");
        bolt.Subcommands.Add(check);
        return bolt;
    }
}
