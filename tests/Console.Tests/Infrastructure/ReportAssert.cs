using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PerfTest.EndToEnd.Tests;
using Xunit;

namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>The numbers a report page (or an exported file) shows, against the API's v1 report of the same case run.</summary>
public static class ReportAssert
{
    /// <summary>Fields every table must show (the issue's "every percentile", counts and rates).</summary>
    public static readonly string[] Required =
        ["requests", "successCount", "tp50", "tp75", "tp90", "tp95", "tp99", "tp999", "tp9999", "min", "max", "averageRespTime", "tps", "successRate"];

    /// <summary>
    /// perf-table equals <c>details.data[0].performance</c> and requests-table equals <c>detailDatas</c>, row by row, for
    /// every required field and every other numeric field the page shows.
    /// </summary>
    public static async Task SameAsApiAsync(ConsolePage page, JsonObject v1Report, string scope = "")
    {
        var prefix = scope.Length > 0 ? $"[data-testid=\"{scope}\"] " : "";
        var performance = RunHarness.Performance(v1Report);
        var caseRows = await ConsolePage.RowsAsync(page.Page.Locator(prefix + "[data-testid=\"perf-table\"]").First);
        Assert.Single(caseRows);
        Same("perf-table", caseRows[0], performance);
        var details = v1Report["details"]!["data"]![0]!["detailDatas"]!.AsArray();
        var requestRows = await ConsolePage.RowsAsync(page.Page.Locator(prefix + "[data-testid=\"requests-table\"]").First);
        Assert.Equal(details.Count, requestRows.Count);
        for (var i = 0; i < details.Count; i++)
        {
            Same($"requests-table row {i}", requestRows[i], (JsonObject)details[i]!);
        }
        // Response-time ranges: each range's "<percent>%(<count>)" as the API words it.
        var ranges = (await ConsolePage.RowsAsync(page.Page.Locator(prefix + "[data-testid=\"ranges-table\"]").First))
            .SelectMany(row => row).ToDictionary(kv => kv.Key, kv => kv.Value);
        var apiRanges = v1Report["respTimeRange"]!.AsObject();
        Assert.Equal(apiRanges.Select(kv => kv.Key).Order(), ranges.Keys.Order());
        foreach (var (range, value) in apiRanges)
        {
            Assert.Equal(value!.GetValue<string>(), ranges[range]);
        }
    }

    /// <summary>The shown cells equal the API's numbers (the page shows the raw number as text).</summary>
    public static void Same(string where, IReadOnlyDictionary<string, string> shown, JsonObject api)
    {
        foreach (var field in Required)
        {
            Assert.True(shown.ContainsKey(field), $"{where} has no data-field=\"{field}\" (it has {string.Join(", ", shown.Keys)})");
        }
        foreach (var (field, text) in shown)
        {
            if (api[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            {
                continue;
            }
            Assert.True(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number),
                $"{where} {field} shows \"{text}\", not a raw number");
            Assert.True(value.GetValue<double>() == number, $"{where} {field}: page {text}, API {value.ToJsonString()}");
        }
    }

    /// <summary>Charts drawn by uPlot (canvas elements) with points, and every other part of a report.</summary>
    public static async Task ChartsDrawnAsync(ConsolePage page)
    {
        foreach (var part in new[] { "perf-table", "requests-table", "ranges-table", "stage-results", "group-changes" })
        {
            Assert.True(await page.ById(part).CountAsync() > 0, $"the report has no {part}");
        }
        foreach (var chart in new[] { "chart-tps", "chart-rt", "chart-vus", "chart-failures", "chart-bandwidth" })
        {
            var locator = page.ById(chart).First;
            Assert.True(await locator.Locator("canvas").CountAsync() > 0, $"{chart} has no canvas");
        }
        Assert.True(await ConsolePage.PointsAsync(page.ById("chart-tps").First) > 0, "chart-tps draws no point");
    }

    /// <summary>An error box with the API's error code and message, and nothing of a stack trace.</summary>
    public static async Task ShowsErrorAsync(ConsolePage page, ApiErrorBody expected)
    {
        // Expect retries until the box says so: a box left from the page before must first be replaced.
        var box = Assertions.Expect(page.ById("error").First);
        var options = new LocatorAssertionsToContainTextOptions { Timeout = (float)ConsolePage.Shown.TotalMilliseconds };
        await box.ToContainTextAsync(expected.Code, options);
        await box.ToContainTextAsync(expected.Message, options);
        var body = await page.Page.InnerTextAsync("body");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.]+\(", body);
    }
}

/// <summary>The API's error body: <c>{"error_code":"CPTS.xxxxxxxx","error_msg":"..."}</c>.</summary>
public sealed record ApiErrorBody(int Status, string Code, string Message)
{
    public static ApiErrorBody From(PerfTest.ControlPlane.Tests.Infrastructure.ApiResponse response) =>
        new(response.Status, response.Object["error_code"]!.GetValue<string>(), response.Object["error_msg"]!.GetValue<string>());
}
