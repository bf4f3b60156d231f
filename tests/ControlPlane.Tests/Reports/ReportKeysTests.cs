using PerfTest.ControlPlane.Reports;
using PerfTest.Executor.Contract;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Reports;

/// <summary>How a case run's metric keys are stored and read back (case_runs.requests).</summary>
public sealed class ReportKeysTests
{
    [Fact]
    public void Declared_keys_come_back_whole_names_with_hashes_included()
    {
        var stored = ReportKeys.Serialize([
            new MetricKey { Key = 0, Path = "contents[0].content[0]", Name = "step#2", Method = "GET", Url = "http://h/a#b", Protocol = "HTTP" },
            new MetricKey { Key = 1, Kind = MetricKeyKind.Transaction, Path = "contents[1]", Name = "pay#now", TransactionId = 7 },
        ]);

        Assert.Equal([
            new ReportKey(0, false, "contents[0].content[0]", "step#2", "GET", "http://h/a#b", "HTTP", 0),
            new ReportKey(1, true, "contents[1]", "pay#now", "", "", "", 7),
        ], ReportKeys.Parse(stored));
        Assert.Equal("step#2#GET#http://h/a#b", ReportKeys.Parse(stored)[0].ContentMethodUrl);
    }

    [Fact]
    public void Keys_stored_before_the_typed_plan_are_still_read()
    {
        var keys = ReportKeys.Parse("""["login#POST#https://h/login", "t#TCP#127.0.0.1:9", "checkout#TRANSACTION#12"]""");

        Assert.Equal([
            new ReportKey(0, false, "", "login", "POST", "https://h/login", "HTTPS", 0),
            new ReportKey(1, false, "", "t", "TCP", "127.0.0.1:9", "TCP", 0),
            new ReportKey(2, true, "", "checkout", "", "", "", 12),
        ], keys);
    }
}
