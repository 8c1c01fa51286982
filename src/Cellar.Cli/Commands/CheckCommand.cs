using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Checking;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar check [--read-data | --read-data-subset n/m|P%|SIZE]</c>: verifies the repository's
/// structure, and reads all packs or the subset restic would pick.
/// </summary>
internal sealed class CheckCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("check", "Check the repository for errors");
        var readData = new Option<bool>("--read-data") { Description = "Also read all data: every pack hashed, every blob decrypted and verified" };
        var subset = new Option<string?>("--read-data-subset") { Description = "Read a subset of the packs: n/m (group n of m, by pack id), P% (a random P percent) or SIZE (random packs totalling about SIZE, e.g. 500M)" };
        command.Options.Add(readData);
        command.Options.Add(subset);
        command.SetHandler(globals, CommandLock.ExclusiveOrNone, async context =>
        {
            ReadDataSubset? toRead = context.Get(readData) ? ReadDataSubset.All : null;
            if (context.Get(subset) is { } text)
            {
                if (toRead is not null)
                {
                    throw new UserException("--read-data and --read-data-subset cannot be used together: pick one.", ExitCodes.Usage);
                }

                try
                {
                    toRead = ReadDataSubset.Parse(text);
                }
                catch (FormatException ex)
                {
                    throw new UserException(ex.Message, ExitCodes.Usage);
                }
            }

            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var quiet = context.Quiet;
            var checker = new Checker(repository, quiet ? null : message => context.Out.WriteLine(message));
            var result = await checker.CheckAsync(toRead, context.CancellationToken).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
            }

            if (result.HasErrors)
            {
                await context.Error.WriteLineAsync($"cellar: the repository contains {result.Errors.Count} errors.").ConfigureAwait(false);
                return ExitCodes.Fatal;
            }

            await context.Out.WriteLineAsync(
                $"no errors were found ({result.PacksChecked} packs, {result.SnapshotsChecked} snapshots, {result.TreesChecked} trees" +
                (toRead is not null ? $", {result.PacksRead} packs read in full, {result.BytesRead} bytes)" : ")")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
