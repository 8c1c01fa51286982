using System.CommandLine;
using System.Reflection;

namespace Cellar.Cli.Commands;

internal sealed class VersionCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var command = new Command("version", "Print version information");
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            if (context.Json)
            {
                await context.Out.WriteLineAsync($"{{\"version\":\"{version}\",\"runtime\":\"{Environment.Version}\"}}").ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"cellar {version} on .NET {Environment.Version}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
