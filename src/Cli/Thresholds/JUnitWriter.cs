using System.Xml.Linq;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli.Thresholds;

/// <summary>
/// JUnit XML as CI servers read it: one testsuite for the run, one testcase per threshold and case (classname
/// <c>perftest.TASK.CASE</c>, name the expression), a failure whose message carries the measured value.
/// A run that did not end normally adds a failed testcase "run" with its status and errors.
/// </summary>
public static class JUnitWriter
{
    public static XDocument Build(RunSummary summary, IReadOnlyList<ThresholdResult> results)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", $"perftest {summary.TaskName} run {summary.TaskRunId}"),
            new XAttribute("tests", results.Count + (RunFailed(summary) ? 1 : 0)),
            new XAttribute("failures", results.Count(r => !r.Passed) + (RunFailed(summary) ? 1 : 0)),
            new XAttribute("errors", 0));
        if (RunFailed(summary))
        {
            var errors = string.Join("; ", summary.Cases.Where(c => c.Error is not null).Select(c => $"{c.Name}: {c.Error}"));
            suite.Add(new XElement("testcase", new XAttribute("classname", $"perftest.{summary.TaskName}"), new XAttribute("name", "run"),
                new XElement("failure", new XAttribute("message", $"the run {RunSummary.StatusName(summary.RunStatus)}{(errors.Length > 0 ? ": " + errors : "")}"))));
        }
        foreach (var r in results)
        {
            var testcase = new XElement("testcase",
                new XAttribute("classname", $"perftest.{summary.TaskName}.{r.Scope}"),
                new XAttribute("name", r.Threshold.Expression));
            testcase.Add(r.Passed
                ? new XElement("system-out", r.Message)
                : new XElement("failure", new XAttribute("message", r.Message), new XAttribute("type", "threshold")));
            suite.Add(testcase);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites", new XAttribute("name", "perftest"),
                new XAttribute("tests", suite.Attribute("tests")!.Value),
                new XAttribute("failures", suite.Attribute("failures")!.Value), suite));
    }

    public static async Task WriteAsync(string path, RunSummary summary, IReadOnlyList<ThresholdResult> results)
    {
        await using var stream = File.Create(path);
        await Build(summary, results).SaveAsync(stream, SaveOptions.None, CancellationToken.None);
    }

    private static bool RunFailed(RunSummary summary) => summary.RunStatus != RunSummary.Ended;
}
