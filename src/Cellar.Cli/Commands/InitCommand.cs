using System.CommandLine;
using Cellar.Cli.Repositories;
using Cellar.Repository.Storage;
using Cellar.Repository.Writing;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar init</c>: a new restic repository (format 2 by default) that restic can use too.</summary>
internal sealed class InitCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("init", "Create a new repository");
        var version = new Option<int>("--repository-version")
        {
            Description = "ResticRepository format version: 2 (compression, default) or 1 (for restic before 0.14)",
            DefaultValueFactory = _ => 2,
        };
        command.Options.Add(version);
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var formatVersion = context.Get(version);
            if (formatVersion is not (1 or 2))
            {
                throw new UserException($"--repository-version must be 1 or 2, not {formatVersion}.", ExitCodes.Usage);
            }

            await using var backend = RepositoryOpener.CreateBackend(context);
            if (await backend.StatAsync(FileHandle.Config, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                throw new UserException($"a repository already exists at {backend.Location}; use it as it is, or choose another location.");
            }

            var password = PasswordSource.Resolve(context);
            if (password.Length == 0)
            {
                throw new UserException("an empty password is not allowed: give the new repository a password.");
            }

            await using var repository = await RepositoryInitializer.InitializeAsync(backend, password, formatVersion, context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                await context.Out.WriteLineAsync($"{{\"message_type\":\"initialized\",\"id\":\"{repository.Config.Id}\",\"repository\":{System.Text.Json.Nodes.JsonValue.Create(backend.Location).ToJsonString()}}}").ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"created restic repository {repository.Config.Id[..10]} at {backend.Location}").ConfigureAwait(false);
                await context.Out.WriteLineAsync().ConfigureAwait(false);
                await context.Out.WriteLineAsync("Please note that knowledge of your password is required to access").ConfigureAwait(false);
                await context.Out.WriteLineAsync("the repository. Losing your password means that your data is").ConfigureAwait(false);
                await context.Out.WriteLineAsync("irrecoverably lost.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
