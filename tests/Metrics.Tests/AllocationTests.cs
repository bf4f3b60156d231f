using PerfTest.Protocols;

namespace PerfTest.Metrics.Tests;

/// <summary>Record is on every VU's hot path: steady state must not allocate.</summary>
public class AllocationTests
{
    private const int Calls = 100_000;

    [Fact]
    public void Record_allocates_nothing_in_steady_state()
    {
        var recorder = new RunRecorder(4);
        var result = new RequestResult(Outcome.Success, 200, 100, 1000);

        // The first rounds pay for JIT tiering of this very method. Later, the runtime itself may still
        // allocate a few KB once in a while on this thread (tier-up, call counting), so no single round
        // proves anything: a per-call allocation would cost at least 24 B x 100,000 in EVERY round, so
        // every round under 1 B per call, and some round at exactly 0, proves there is none.
        var rounds = new List<long>();
        for (int round = 0; round < 12; round++)
        {
            rounds.Add(RecordMany(recorder, result));
            recorder.Rotate(round);
        }

        var steady = rounds.Skip(2).ToList();
        Assert.Contains(0L, steady);
        Assert.All(steady, bytes => Assert.True(bytes < Calls, $"rounds allocated {string.Join(", ", rounds)} bytes"));
    }

    private static long RecordMany(RunRecorder recorder, in RequestResult result)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            recorder.Record(i & 3, 1 + (i % 100_000) * 37, result);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
