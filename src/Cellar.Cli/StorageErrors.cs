using System.Runtime.CompilerServices;
using Cellar.Repository.Locking;
using Cellar.Repository.Policy;
using Cellar.Repository.Storage;

namespace Cellar.Cli;

/// <summary>Storage failures, refused retention requests and locked repositories are sentences for the user, not bugs.</summary>
internal static class StorageErrors
{
    [ModuleInitializer]
    internal static void Register() =>
        ErrorReporter.Register(ex => ex switch
        {
            RepositoryLockedException => (ex.Message, ExitCodes.Locked),
            StorageException or PolicyException => (ex.Message, ExitCodes.Fatal),
            _ => null,
        });
}
