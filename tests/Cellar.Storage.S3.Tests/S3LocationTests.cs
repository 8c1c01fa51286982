namespace Cellar.Storage.S3.Tests;

public sealed class S3LocationTests
{
    [Fact]
    public void Parses_endpoint_bucket_and_prefix()
    {
        var location = S3Location.Parse("s3:http://127.0.0.1:9000/backups/cells/prod");
        location.Endpoint.ShouldBe(new Uri("http://127.0.0.1:9000/"));
        location.Bucket.ShouldBe("backups");
        location.Prefix.ShouldBe("cells/prod");
        location.KeyOf("data/ab/abcd").ShouldBe("cells/prod/data/ab/abcd");
        location.ToString().ShouldBe("s3:http://127.0.0.1:9000/backups/cells/prod");
    }

    [Fact]
    public void Bucket_without_prefix_maps_paths_to_the_bucket_root()
    {
        var location = S3Location.Parse("s3:https://s3.example.org/bucket/");
        location.Bucket.ShouldBe("bucket");
        location.Prefix.ShouldBe("");
        location.KeyOf("config").ShouldBe("config");
    }

    [Fact]
    public void Endpoint_without_scheme_means_https()
    {
        S3Location.Parse("s3:s3.amazonaws.com/bucket").Endpoint.ShouldBe(new Uri("https://s3.amazonaws.com/"));
    }

    [Theory]
    [InlineData("s3:http://127.0.0.1:9000")]
    [InlineData("s3:http://127.0.0.1:9000/")]
    [InlineData("/srv/repo")]
    public void Location_without_bucket_or_scheme_is_refused_with_a_sentence(string text)
    {
        Should.Throw<FormatException>(() => S3Location.Parse(text)).Message.ShouldContain("s3:");
    }

    [Fact]
    public void Missing_credentials_are_named()
    {
        var ex = Should.Throw<Repository.Storage.StorageException>(() => S3Credentials.FromEnvironment(_ => null));
        ex.Message.ShouldContain("AWS_ACCESS_KEY_ID");
    }

    [Fact]
    public void Region_defaults_to_us_east_1()
    {
        var env = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "a", ["AWS_SECRET_ACCESS_KEY"] = "b" };
        S3Credentials.FromEnvironment(env.GetValueOrDefault).Region.ShouldBe("us-east-1");
    }
}
