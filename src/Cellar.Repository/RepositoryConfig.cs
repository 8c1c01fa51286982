using System.Globalization;
using System.Text.Json;
using Cellar.Repository.Json;

namespace Cellar.Repository;

/// <summary>The repository's <c>config</c> file: format version, repository id and chunker polynomial.</summary>
public sealed record RepositoryConfig(int Version, string Id, ulong ChunkerPolynomial)
{
    public const int MinVersion = 1;
    public const int MaxVersion = 2;

    public bool SupportsCompression => Version >= 2;

    public static RepositoryConfig Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var e = document.RootElement;
            var version = (int)e.GetGoUInt32("version");
            var polynomial = e.GetGoString("chunker_polynomial") ?? "";
            var config = new RepositoryConfig(version, e.GetGoString("id") ?? "", ulong.Parse(polynomial, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            if (version is < MinVersion or > MaxVersion)
            {
                throw new RepositoryCorruptException($"the repository has format version {version}; this Cellar reads versions {MinVersion} and {MaxVersion}.");
            }

            return config;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            throw new RepositoryCorruptException($"the config file is not valid: {ex.Message}", ex);
        }
    }

    public byte[] ToJson()
    {
        var w = new GoJsonWriter();
        w.StartObject();
        w.Name("version"); w.Number(Version);
        w.Name("id"); w.String(Id);
        w.Name("chunker_polynomial"); w.String(ChunkerPolynomial.ToString("x", CultureInfo.InvariantCulture));
        w.EndObject();
        return w.ToArray();
    }
}
