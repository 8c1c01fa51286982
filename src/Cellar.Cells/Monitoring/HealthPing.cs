using System.Text;

namespace Cellar.Cells.Monitoring;

/// <summary>
/// Healthchecks-style pings: <c>URL/start</c> when a run starts, <c>URL</c> when it succeeds,
/// <c>URL/fail</c> with the last lines of output when it fails. A ping that cannot be delivered
/// is reported, never fatal: the backup matters more than its notification.
/// </summary>
public sealed class HealthPing(string url, HttpClient? client = null) : IDisposable
{
    private readonly HttpClient _client = client ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _url = url.TrimEnd('/');

    public Task<string?> StartAsync(CancellationToken cancellationToken) => SendAsync(_url + "/start", "", cancellationToken);

    public Task<string?> SuccessAsync(string body, CancellationToken cancellationToken) => SendAsync(_url, body, cancellationToken);

    public Task<string?> FailAsync(string body, CancellationToken cancellationToken) => SendAsync(_url + "/fail", body, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>Posts the body; returns null when delivered, else why not (one sentence).</summary>
    private async Task<string?> SendAsync(string target, string body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/plain");
            using var response = await _client.PostAsync(new Uri(target), content, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"the ping to {target} was answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            return $"the ping to {target} failed: {ex.Message}";
        }
    }
}
