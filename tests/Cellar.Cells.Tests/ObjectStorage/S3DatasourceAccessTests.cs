using Cellar.Cells.Discovery;
using Cellar.Cells.ObjectStorage;
using Cellar.Testing;
using Cellar.Testing.Cells;

namespace Cellar.Cells.Tests.ObjectStorage;

/// <summary>
/// The secret of an S3 datasource as Cells finds it: ApiSecret names a vault entry
/// (config.GetSecret in Cells' common/config vault), sealed under the keyring's master key.
/// </summary>
public sealed class S3DatasourceAccessTests : IDisposable
{
    private readonly TempDirectory _temp = new("cellar-s3-access");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_secret_comes_from_the_vault_entry_ApiSecret_names_and_a_credentials_file_overrides_it()
    {
        var install = await CellsInstallation.CreateAsync(_temp.Combine("site"), CellsShape.V4, "u:p@tcp(127.0.0.1:3306)/cells", cancellationToken: Token,
            options: new CellsInstallationOptions { S3 = new CellsS3Datasource("http://127.0.0.1:9000", "media", "AKIAEXAMPLE", "wJalr/XUtnFEMI+K7MDENG", "cells/media") });
        var env = new Dictionary<string, string> { ["CELLS_WORKING_DIR"] = install.WorkingDir, ["HOME"] = "/nonexistent" };
        var plan = InstallationPlanner.Plan(DiscoveryInput.FromProcess(getVariable: env.GetValueOrDefault, currentDirectory: _temp.Path));
        var archive = plan.Datasources.Single(d => d.Name == "archive");
        var storage = archive.S3.ShouldNotBeNull();
        storage.ApiSecret.ShouldBe(CellsS3Datasource.VaultEntry);
        storage.Prefix.ShouldBe("cells/media");
        plan.Warnings.ShouldNotContain(w => w.Contains("archive"));

        var fromVault = new S3DatasourceAccess(plan.Locations.VaultFile, plan.Locations.KeyringFile, DatasourceCredentials.None).Resolve("archive", storage);
        (fromVault.Key, fromVault.Secret).ShouldBe(("AKIAEXAMPLE", "wJalr/XUtnFEMI+K7MDENG"));

        var file = _temp.Combine("credentials");
        await File.WriteAllTextAsync(file, "archive OTHERKEY other-secret\n", Token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var fromFile = new S3DatasourceAccess(plan.Locations.VaultFile, plan.Locations.KeyringFile, DatasourceCredentials.Read(file)).Resolve("archive", storage);
        (fromFile.Key, fromFile.Secret).ShouldBe(("OTHERKEY", "other-secret"));
    }
}
