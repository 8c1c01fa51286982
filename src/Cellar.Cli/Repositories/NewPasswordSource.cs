namespace Cellar.Cli.Repositories;

/// <summary>The new password for <c>key add</c> and <c>key passwd</c>: <c>--new-password-file</c>, else <c>CELLAR_NEW_PASSWORD</c>.</summary>
internal static class NewPasswordSource
{
    public static string Resolve(CommandContext context, string? file)
    {
        string? password = null;
        if (!string.IsNullOrEmpty(file))
        {
            var path = Path.GetFullPath(file, context.Environment.CurrentDirectory);
            if (!File.Exists(path))
            {
                throw new UserException($"the new password file {file} does not exist.");
            }

            password = File.ReadAllText(path).Trim();
        }

        password ??= context.Environment.GetVariable("CELLAR_NEW_PASSWORD");
        if (password is null)
        {
            throw new UserException("no new password given: pass --new-password-file or set CELLAR_NEW_PASSWORD.");
        }

        if (password.Length == 0)
        {
            throw new UserException("an empty password is not allowed.");
        }

        return password;
    }
}
