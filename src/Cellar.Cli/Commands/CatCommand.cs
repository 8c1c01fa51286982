using System.CommandLine;
using System.Text;
using System.Text.Json;
using Cellar.Cli.Repositories;
using Cellar.Repository;
using Cellar.Repository.Browsing;
using Cellar.Repository.Storage;

namespace Cellar.Cli.Commands;

/// <summary><c>cellar cat config|snapshot ID|index ID|key ID|blob ID|masterkey</c>: prints repository data for debugging.</summary>
internal sealed class CatCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("cat", "Print repository data: config, snapshot ID, index ID, key ID, blob ID, masterkey");
        var typeArgument = new Argument<string>("type") { Description = "config, snapshot, index, key, blob or masterkey" };
        var idArgument = new Argument<string?>("id") { Description = "Id (or unique prefix) of the item", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(typeArgument);
        command.Arguments.Add(idArgument);
        command.SetHandler(globals, CommandLock.Read, async context =>
        {
            var type = context.Get(typeArgument)!;
            var id = context.Get(idArgument);
            var needsId = type is "snapshot" or "index" or "key" or "blob";
            if (type is not ("config" or "masterkey") && !needsId)
            {
                throw new UserException($"cannot cat '{type}': use config, snapshot ID, index ID, key ID, blob ID or masterkey.", ExitCodes.Usage);
            }

            if (needsId && string.IsNullOrEmpty(id))
            {
                throw new UserException($"cat {type} needs an id.", ExitCodes.Usage);
            }

            await using var repository = await RepositoryOpener.OpenAsync(context, loadIndex: type == "blob").ConfigureAwait(false);
            var ct = context.CancellationToken;
            switch (type)
            {
                case "config":
                    await WriteJsonAsync(context, repository.Config.ToJson()).ConfigureAwait(false);
                    break;
                case "masterkey":
                    await WriteJsonAsync(context, RawFiles.MasterKey(repository)).ConfigureAwait(false);
                    break;
                case "snapshot":
                    var snapshot = await repository.FindSnapshotAsync(id!, ct).ConfigureAwait(false);
                    await WriteJsonAsync(context, await RawFiles.ReadAsync(repository, FileType.Snapshot, snapshot.Id, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    break;
                case "index":
                    var indexId = await repository.ResolveIdAsync(FileType.Index, id!, ct).ConfigureAwait(false);
                    await WriteJsonAsync(context, await RawFiles.ReadAsync(repository, FileType.Index, indexId, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    break;
                case "key":
                    var keyId = await repository.ResolveIdAsync(FileType.Key, id!, ct).ConfigureAwait(false);
                    await WriteJsonAsync(context, await RawFiles.ReadAsync(repository, FileType.Key, keyId, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    break;
                case "blob":
                    if (!Id.TryParse(id, out var blobId))
                    {
                        throw new UserException($"'{id}' is not a blob id (64 hex digits).", ExitCodes.Usage);
                    }

                    var blob = await RawFiles.ReadBlobAsync(repository, blobId, ct).ConfigureAwait(false)
                        ?? throw new UserException($"blob {blobId} is not in the index.");
                    await WriteBytesAsync(context, blob).ConfigureAwait(false);
                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints JSON indented for reading, as restic's cat does.</summary>
    private static async Task WriteJsonAsync(CommandContext context, byte[] json)
    {
        string text;
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.RootElement.WriteTo(writer);
            }

            text = Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            text = Encoding.UTF8.GetString(json);
        }

        await context.Out.WriteLineAsync(text).ConfigureAwait(false);
    }

    private static async Task WriteBytesAsync(CommandContext context, byte[] bytes)
    {
        if (ReferenceEquals(context.Out, Console.Out))
        {
            await context.Out.FlushAsync().ConfigureAwait(false);
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(bytes, context.CancellationToken).ConfigureAwait(false);
            return;
        }

        await context.Out.WriteAsync(Encoding.UTF8.GetString(bytes)).ConfigureAwait(false);
    }
}
