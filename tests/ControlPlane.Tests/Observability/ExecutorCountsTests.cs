using PerfTest.ControlPlane.Executors;
using PerfTest.ControlPlane.Tests.Reports;
using Xunit;

namespace PerfTest.ControlPlane.Tests.Observability;

/// <summary>perftest_executors' source: per private group, its registered executors live (seen lately) and lost (silent), those that left not at all.</summary>
public sealed class ExecutorCountsTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_group_counts_its_live_and_lost_executors_and_not_those_that_left(string provider)
    {
        var stored = await StoredRuns.CreateAsync(provider);
        var store = new ExecutorStore(stored.Database);
        await store.UpsertAsync("a", "http://10.0.0.1:7001", 1, nowUs: 5_000, []);
        await store.UpsertAsync("b", "http://10.0.0.2:7001", 1, nowUs: 1_000, []);  // silent since 1,000
        await store.UpsertAsync("c", "http://10.0.0.3:7001", 2, nowUs: 5_000, []);
        await store.UpsertAsync("d", "http://10.0.0.4:7001", 2, nowUs: 5_000, []);
        await store.LeaveAsync("d", 5_500);

        var counts = (await store.CountsAsync(aliveSinceUs: 4_000)).OrderBy(c => c.ClusterId).ToList();

        Assert.Equal([new GroupCount(1, 1, 1), new GroupCount(2, 1, 0)], counts);
    }
}
