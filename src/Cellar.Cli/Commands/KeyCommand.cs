using System.CommandLine;
using System.Globalization;
using Cellar.Cli.Repositories;
using Cellar.Repository.Json;
using Cellar.Repository.Writing;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar key list|add|remove|passwd</c>: the repository's passwords, as restic's key command.</summary>
internal sealed class KeyCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("key", "Manage the repository's keys (passwords)");
        command.Subcommands.Add(BuildList(globals));
        command.Subcommands.Add(BuildAdd(globals));
        command.Subcommands.Add(BuildRemove(globals));
        command.Subcommands.Add(BuildPasswd(globals));
        return command;
    }

    private static Option<string?> NewPasswordFile() => new("--new-password-file") { Description = "File holding the new password (default: $CELLAR_NEW_PASSWORD)" };

    private static Command BuildList(GlobalOptions globals)
    {
        var list = new Command("list", "List the keys; * marks the one in use");
        list.SetHandler(globals, CommandLock.Read, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var keys = await KeyManager.ListAsync(repository, context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                var w = new GoJsonWriter();
                w.StartArray();
                foreach (var key in keys)
                {
                    w.StartObject();
                    w.Name("current"); w.Bool(key.IsCurrent);
                    w.Name("id"); w.String(key.Id.ToShortString());
                    w.Name("userName"); w.String(key.Username);
                    w.Name("hostName"); w.String(key.Hostname);
                    w.Name("created"); w.String(key.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                    w.EndObject();
                }

                w.EndArray();
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(w.WrittenSpan)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync(" ID        User        Host                  Created").ConfigureAwait(false);
            await context.Out.WriteLineAsync("-------------------------------------------------------------").ConfigureAwait(false);
            foreach (var key in keys)
            {
                var created = key.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await context.Out.WriteLineAsync($"{(key.IsCurrent ? "*" : " ")}{key.Id.ToShortString(),-9} {key.Username,-11} {key.Hostname,-21} {created}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Command BuildAdd(GlobalOptions globals)
    {
        var add = new Command("add", "Add a key: another password for the same repository");
        var file = NewPasswordFile();
        add.Options.Add(file);
        add.SetHandler(globals, CommandLock.Append, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var password = NewPasswordSource.Resolve(context, context.Get(file));
            var id = await KeyManager.AddAsync(repository, password, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"saved new key with ID {id}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return add;
    }

    private static Command BuildRemove(GlobalOptions globals)
    {
        var remove = new Command("remove", "Remove a key (not the one in use, never the last)");
        var id = new Argument<string>("ID") { Description = "The key's id or a unique prefix (see 'key list')" };
        remove.Arguments.Add(id);
        remove.SetHandler(globals, CommandLock.Exclusive, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            try
            {
                await KeyManager.RemoveAsync(repository, context.Get(id)!, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                throw new UserException(ex.Message);
            }

            await context.Out.WriteLineAsync($"removed key {context.Get(id)}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return remove;
    }

    private static Command BuildPasswd(GlobalOptions globals)
    {
        var passwd = new Command("passwd", "Change the password of the key in use");
        var file = NewPasswordFile();
        passwd.Options.Add(file);
        passwd.SetHandler(globals, CommandLock.Exclusive, async context =>
        {
            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: false).ConfigureAwait(false);
            var password = NewPasswordSource.Resolve(context, context.Get(file));
            var id = await KeyManager.ChangePasswordAsync(repository, password, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"saved new key as {id}; the old password no longer opens the repository").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return passwd;
    }
}
