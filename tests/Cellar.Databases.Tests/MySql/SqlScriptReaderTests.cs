using System.Text;
using Cellar.Databases.MySql.Internal;


namespace Cellar.Databases.Tests.MySql;

public sealed class SqlScriptReaderTests
{
    private static async Task<List<string>> Split(string script)
    {
        using var reader = new SqlScriptReader(new MemoryStream(Encoding.UTF8.GetBytes(script)));
        var result = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } statement)
        {
            result.Add(statement);
        }

        return result;
    }

    [Fact]
    public async Task Semicolons_inside_strings_comments_and_names_do_not_split()
    {
        var statements = await Split("-- a comment; here\nINSERT INTO `a;b` VALUES ('x;y', \"p\\\";q\", 'it''s;');\n/*! SET x=1 */;\n# hash; comment\nSELECT 1");
        statements.ShouldBe(["INSERT INTO `a;b` VALUES ('x;y', \"p\\\";q\", 'it''s;')", "/*! SET x=1 */", "SELECT 1"]);
    }

    [Fact]
    public async Task Delimiter_lines_change_the_statement_end()
    {
        var statements = await Split("SET a=1;\nDELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a=1; SET @b=2; END;;\nDELIMITER ;\nSELECT 2;");
        statements.ShouldBe(["SET a=1", "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a=1; SET @b=2; END", "SELECT 2"]);
    }
}
