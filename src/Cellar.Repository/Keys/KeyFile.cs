using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository.Keys;

/// <summary>A file in <c>keys/</c>: scrypt parameters and the master key encrypted with the password's key.</summary>
internal sealed class KeyFile
{
    public GoTime Created { get; set; } = GoTime.Zero;
    public string Username { get; set; } = "";
    public string Hostname { get; set; } = "";
    public string Kdf { get; set; } = "scrypt";
    public int N { get; set; }
    public int R { get; set; }
    public int P { get; set; }
    public byte[] Salt { get; set; } = [];
    public byte[] Data { get; set; } = [];

    public static KeyFile Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var e = document.RootElement;
            return new KeyFile
            {
                Created = e.GetGoTime("created"),
                Username = e.GetGoString("username") ?? "",
                Hostname = e.GetGoString("hostname") ?? "",
                Kdf = e.GetGoString("kdf") ?? "",
                N = checked((int)e.GetGoInt64("N")),
                R = checked((int)e.GetGoInt64("r")),
                P = checked((int)e.GetGoInt64("p")),
                Salt = e.GetGoBytes("salt") ?? [],
                Data = e.GetGoBytes("data") ?? [],
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"a key file is not valid JSON: {ex.Message}", ex);
        }
    }

    public byte[] ToJson()
    {
        var w = new GoJsonWriter();
        w.StartObject();
        w.Name("created"); w.Time(Created);
        w.Name("username"); w.String(Username);
        w.Name("hostname"); w.String(Hostname);
        w.Name("kdf"); w.String(Kdf);
        w.Name("N"); w.Number(N);
        w.Name("r"); w.Number(R);
        w.Name("p"); w.Number(P);
        w.Name("salt"); w.Base64(Salt);
        w.Name("data"); w.Base64(Data);
        w.EndObject();
        return w.ToArray();
    }
}
