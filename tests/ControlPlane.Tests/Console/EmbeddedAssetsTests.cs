using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PerfTest.ControlPlane.Tests.Infrastructure;
using PerfTest.ControlPlane.WebConsole;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>The console files the build embeds (the contract's names), as the control plane serves and inlines them.</summary>
public sealed partial class EmbeddedAssetsTests
{
    private static readonly string[] ContractFiles =
        ["index.html", "console.js", "report.js", "console.css", "uPlot.iife.min.js", "uPlot.min.css"];

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [Fact]
    public void Every_file_of_the_contract_is_embedded()
    {
        var assets = new EmbeddedConsoleAssets();

        foreach (var file in ContractFiles)
        {
            var asset = assets.Find(file);
            Assert.True(asset is { Content.Length: > 0 }, $"console/{file} is not embedded");
            Assert.Equal(ContentTypes.Of(file), asset!.ContentType);
        }
        // The page's CSP allows only the console's own script files: an inline script would not run.
        Assert.DoesNotMatch(InlineScript(), Encoding.UTF8.GetString(assets.Find("index.html")!.Content));
    }

    [Fact]
    public async Task The_root_serves_the_embedded_page()
    {
        await using var server = await ControlPlaneServer.StartAsync(Backend.NewSqlite().Settings());

        using var response = await server.Http.GetAsync("/");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(new EmbeddedConsoleAssets().Find("index.html")!.Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void The_export_inlines_each_embedded_file_whole()
    {
        var assets = new EmbeddedConsoleAssets();
        var report = new JsonObject { ["task_run"] = new JsonObject { ["task_name"] = "</script>" }, ["cases"] = new JsonArray() };

        var html = HtmlReport.Build(assets, 1, report);

        foreach (var file in ContractFiles.Where(f => f != "index.html" && f != "console.js"))
        {
            Assert.Contains(Encoding.UTF8.GetString(assets.Find(file)!.Content), html, StringComparison.Ordinal);
        }
        Assert.Contains("\\u003C/script\\u003E", html, StringComparison.Ordinal);
        Assert.EndsWith("<script>PerfTestReport.renderStandalone();</script>\n</body>\n</html>\n", html, StringComparison.Ordinal);
    }
}
