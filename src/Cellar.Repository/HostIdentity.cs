namespace Cellar.Repository;

/// <summary>Who and where this process runs, named as restic names them (full host name, login name).</summary>
public static class HostIdentity
{
    private static readonly Lazy<string> HostnameValue = new(() =>
    {
        // Environment.MachineName drops the domain part; restic (Go's os.Hostname) keeps it.
        try
        {
            var name = System.Net.Dns.GetHostName();
            return string.IsNullOrEmpty(name) ? Environment.MachineName : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    });

    public static string Hostname => HostnameValue.Value;

    public static string Username => Environment.UserName;
}
