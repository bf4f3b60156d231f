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

        // The first runs pay for JIT tiering of this very method; the last one is steady state.
        long allocated = 0;
        for (int round = 0; round < 3; round++)
        {
            allocated = RecordMany(recorder, result);
            recorder.Rotate(round);
        }

        Assert.Equal(0, allocated);
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
