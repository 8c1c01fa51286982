using System.CommandLine;
using Cellar.Cells.Demo;
using Cellar.Cli.Installation;

namespace Cellar.Cli.Commands;

/// <summary>
/// <c>cellar demo [--engine sqlite|mariadb|postgres] [--keep]</c>: runs <see cref="DemoScenario"/>
/// (back up, destroy, restore and verify a sample Cells installation) in a new temp folder, removed
/// afterwards unless <c>--keep</c>. Exit 0 only when every file, row and BoltDB store came back.
/// </summary>
internal sealed class DemoCommand : ICellarCommand
{
    public Command Build(GlobalOptions globals)
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo folder (installation, repository, password) to look at afterwards" };
        var engine = new Option<string>("--engine")
        {
            Description = "The sample installation's database: sqlite (a file, no server), mariadb or postgres (a private server started in the demo folder)",
            DefaultValueFactory = _ => "sqlite",
        };
        engine.AcceptOnlyFromAmong([.. DemoScenario.Engines]);
        var command = new Command("demo", "Back up, destroy, restore and verify a sample Cells installation in a temp folder");
        command.Options.Add(keep);
        command.Options.Add(engine);
        command.SetHandler(globals, CommandLock.None, async context =>
        {
            var say = InstallationBackupCli.Sayer(context);
            var root = Directory.CreateTempSubdirectory("cellar-demo-").FullName;
            try
            {
                var passed = await new DemoScenario(context.Get(engine)!, root, say).RunAsync(context.CancellationToken).ConfigureAwait(false);
                return passed ? ExitCodes.Success : ExitCodes.Fatal;
            }
            finally
            {
                if (context.Get(keep))
                {
                    say($"kept {root}");
                }
                else
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        });
        return command;
    }
}
