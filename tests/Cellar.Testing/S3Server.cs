using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Cellar.Testing;

/// <summary>
/// A real <c>s3rver</c> (an S3-compatible server) on a free local port, storing into a temp folder,
/// for the life of a test class. Credentials are s3rver's defaults (S3RVER/S3RVER).
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly TempDirectory _directory = new("cellar-s3rver");
    private Process? _process;
    private int _bucketCounter;

    public int Port { get; private set; }

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:4568</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The folder where s3rver keeps buckets and objects.</summary>
    public string DataDirectory => _directory.Path;

    /// <summary>AWS_* variables for clients (Cellar, restic) talking to this server.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
    };

    /// <summary>An <c>s3:</c> location for a bucket name never used before on this server.</summary>
    public string NewLocation(string prefix = "")
    {
        var bucket = $"bucket{Interlocked.Increment(ref _bucketCounter)}";
        return $"s3:{Endpoint}/{bucket}" + (prefix.Length == 0 ? "" : "/" + prefix);
    }

    public async ValueTask InitializeAsync()
    {
        Port = FreePort();
        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server (as a crash would: killed); its objects stay in <see cref="DataDirectory"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and folder (after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        var program = ExternalTool.Require("s3rver");
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--directory", _directory.Path, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--address", "127.0.0.1", "--silent" })
        {
            psi.ArgumentList.Add(arg);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start s3rver");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _directory.Dispose();
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} before answering on port {Port}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint + "/")).ConfigureAwait(false);
                return; // any HTTP answer (even 403) means it is up
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"s3rver did not answer on {Endpoint} within 60 s.", ex);
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
