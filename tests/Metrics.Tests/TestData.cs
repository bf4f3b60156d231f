using PerfTest.Protocols;

namespace PerfTest.Metrics.Tests;

/// <summary>Shared helpers: requests and merges used by several test classes.</summary>
internal static class TestData
{
    public static readonly RequestResult Ok = new(Outcome.Success, 200, 100, 1000);

    public static MetricAggregate Merge(IEnumerable<KeySnapshot> snapshots)
    {
        var aggregate = new MetricAggregate();
        foreach (var snapshot in snapshots)
        {
            aggregate.Add(snapshot);
        }

        return aggregate;
    }

    /// <summary>Records 1..count µs into key 0 and returns the merged case of one rotation.</summary>
    public static MetricAggregate Uniform(int count)
    {
        var recorder = new RunRecorder(1);
        for (int micros = 1; micros <= count; micros++)
        {
            recorder.Record(0, micros, Ok);
        }

        return Merge([recorder.Rotate(1).FindKey(KeySnapshot.CaseKey)!]);
    }
}
