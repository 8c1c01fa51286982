using System.CommandLine;

namespace Cellar.Cli;

/// <summary>
/// One top-level command (or command group) of <c>cellar</c>, listed in <see cref="CliApp"/>. Its
/// <see cref="Build"/> declares the options, the repository lock (<see cref="CommandLock"/>) and the
/// body, run through <see cref="CommandRunner"/>.
/// </summary>
internal interface ICellarCommand
{
    Command Build(GlobalOptions globals);
}
