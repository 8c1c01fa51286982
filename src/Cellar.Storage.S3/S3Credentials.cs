namespace Cellar.Storage.S3;

/// <summary>Access key, secret, optional session token and region, as the AWS tools read them from the environment.</summary>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, string Region)
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>
    /// Reads <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c> and
    /// <c>AWS_DEFAULT_REGION</c> (or <c>AWS_REGION</c>; default us-east-1).
    /// </summary>
    public static S3Credentials FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var keyId = NonEmpty(getVariable("AWS_ACCESS_KEY_ID"));
        var secret = NonEmpty(getVariable("AWS_SECRET_ACCESS_KEY"));
        if (keyId is null || secret is null)
        {
            throw new Repository.Storage.StorageException(
                "S3 repositories need credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).",
                isTransient: false);
        }

        var region = NonEmpty(getVariable("AWS_DEFAULT_REGION")) ?? NonEmpty(getVariable("AWS_REGION")) ?? DefaultRegion;
        return new S3Credentials(keyId, secret, NonEmpty(getVariable("AWS_SESSION_TOKEN")), region);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public override string ToString() => $"S3Credentials {{ AccessKeyId = {AccessKeyId}, Region = {Region} }}";
}
