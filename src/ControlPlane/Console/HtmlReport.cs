using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using PerfTest.ControlPlane.Api;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// The report of a task run as one self-contained HTML file that opens offline: the console's styles, the report
/// JSON in a data block, the chart library, <c>report.js</c> and the call that renders it, all inlined.
/// </summary>
public static class HtmlReport
{
    /// <summary>
    /// Escapes &lt; &gt; &amp; ' (as \u003C...), so that nothing in the data (a task named
    /// <c>&lt;/script&gt;</c>) can end its script element; any other character is kept as is.
    /// </summary>
    private static readonly JsonSerializerOptions DataBlock = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly string[] Styles = ["uPlot.min.css", "console.css"];
    private static readonly string[] Scripts = ["uPlot.iife.min.js", "report.js"];

    /// <summary>The file's name for <paramref name="taskRunId"/>.</summary>
    public static string FileName(long taskRunId) => $"perftest-run-{taskRunId}.html";

    /// <exception cref="ApiException">404 when a console file the report needs is not built into this control plane.</exception>
    public static string Build(IConsoleAssets assets, long taskRunId, JsonObject report)
    {
        var title = $"PerfTest run {taskRunId}";
        if (report["task_run"]?["task_name"]?.GetValue<string>() is { } name)
        {
            title += " - " + name;
        }
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n");
        foreach (var style in Styles)
        {
            html.Append("<style>\n").Append(Inline(Text(assets, style), "</style")).Append("\n</style>\n");
        }
        html.Append("</head>\n<body>\n<main id=\"report\"></main>\n")
            .Append("<script type=\"application/json\" id=\"perftest-report\">")
            .Append(report.ToJsonString(DataBlock))
            .Append("</script>\n");
        foreach (var script in Scripts)
        {
            html.Append("<script>\n").Append(Inline(Text(assets, script), "</script")).Append("\n</script>\n");
        }
        html.Append("<script>PerfTestReport.renderStandalone();</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Text(IConsoleAssets assets, string name) =>
        assets.Find(name) is { } asset
            ? Encoding.UTF8.GetString(asset.Content)
            : throw new ApiException(404, ErrorCodes.NotFound, $"the console file {name} is not built into this control plane");

    /// <summary>
    /// A file's text made safe inside its element: the closing tag (in a script only ever in a string or a comment,
    /// where <c>&lt;\/</c> reads the same) cannot end it early.
    /// </summary>
    private static string Inline(string text, string closingTag) =>
        text.Replace(closingTag, "<\\/" + closingTag[2..], StringComparison.OrdinalIgnoreCase);
}
