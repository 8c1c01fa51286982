using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Checking;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar check [--read-data]</c>: verifies the repository's structure, and with --read-data all data.</summary>
internal sealed class CheckCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("check", "Check the repository for errors");
        var readData = new Option<bool>("--read-data") { Description = "Also read all data: every pack hashed, every blob decrypted and verified" };
        command.Options.Add(readData);
        command.SetHandler(globals, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var quiet = context.Quiet;
            var checker = new Checker(repository, quiet ? null : message => context.Out.WriteLine(message));
            var result = await checker.CheckAsync(context.Get(readData), context.CancellationToken).ConfigureAwait(false);
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
                (context.Get(readData) ? $", {result.BytesRead} bytes read)" : ")")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
