using System.CommandLine;

namespace Cellar.Cli;

/// <summary>
/// One top-level command (or command group) of <c>cellar</c>. Every non-abstract implementation in
/// this assembly is found and added to the root command, so a new command is one new file.
/// </summary>
internal interface ICellarCommand
{
    Command Build(GlobalOptions globals);
}
