using System.Text;

namespace Cellar.Cli.Repositories;

/// <summary>
/// Finds the repository password as restic does: <c>--password-file</c>, then
/// <c>CELLAR_PASSWORD_FILE</c>, then <c>CELLAR_PASSWORD</c>, then a prompt on a terminal.
/// </summary>
internal static class PasswordSource
{
    public static string Resolve(CommandContext context)
    {
        var file = context.Get(context.Globals.PasswordFile) ?? context.Environment.GetVariable("CELLAR_PASSWORD_FILE");
        if (!string.IsNullOrEmpty(file))
        {
            var path = Path.GetFullPath(file, context.Environment.CurrentDirectory);
            if (!File.Exists(path))
            {
                throw new UserException($"the password file {file} does not exist.");
            }

            return File.ReadAllText(path).Trim();
        }

        var password = context.Environment.GetVariable("CELLAR_PASSWORD");
        if (password is not null)
        {
            return password;
        }

        if (context.Environment.IsTerminal && !Console.IsInputRedirected)
        {
            return Prompt(context);
        }

        throw new UserException("no repository password given: set CELLAR_PASSWORD or CELLAR_PASSWORD_FILE, or pass --password-file.");
    }

    private static string Prompt(CommandContext context)
    {
        context.Error.Write("enter password for repository: ");
        context.Error.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0) password.Length--;
                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        context.Error.WriteLine();
        return password.ToString();
    }
}
