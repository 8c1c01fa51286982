using Cellar.Testing;

namespace Cellar.Cli.Tests;

/// <summary><c>cellar check --read-data-subset</c> as restic takes it (cmd/restic/cmd_check.go).</summary>
public sealed class CheckSubsetCommandTests
{
    [Fact]
    public async Task Read_data_subset_reads_its_share_and_refuses_bad_forms_and_read_data_with_it()
    {
        using var temp = new TempDirectory();
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[3 << 20];
            new Random(i).NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(source, $"f{i}.bin"), bytes);
        }

        var env = new Dictionary<string, string> { ["CELLAR_REPOSITORY"] = temp.Combine("repo"), ["CELLAR_PASSWORD"] = "pw" };
        (await CliHarness.RunAsync(env, "init")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync(env, "backup", source)).ExitCode.ShouldBe(0);

        var (code, output, error) = await CliHarness.RunAsync(env, "check", "--read-data-subset", "100%");
        code.ShouldBe(0, output + error);
        output.ShouldContain("no errors were found");
        var all = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"\((\d+) packs,").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        output.ShouldContain($"{all} packs read in full");

        var readInGroups = 0;
        for (var n = 1; n <= 3; n++)
        {
            (code, output, error) = await CliHarness.RunAsync(env, "check", "--read-data-subset", $"{n}/3");
            code.ShouldBe(0, output + error);
            readInGroups += int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"(\d+) packs read in full").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        readInGroups.ShouldBe(all, "the groups 1/3, 2/3, 3/3 read every pack once");

        (code, _, error) = await CliHarness.RunAsync(env, "check", "--read-data-subset", "4/3");
        code.ShouldBe(2);
        error.ShouldContain("n <= m");
        (code, _, error) = await CliHarness.RunAsync(env, "check", "--read-data", "--read-data-subset", "1/2");
        code.ShouldBe(2);
        error.ShouldContain("cannot be used together");
    }
}
