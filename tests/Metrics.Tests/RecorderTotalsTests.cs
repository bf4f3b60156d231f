using PerfTest.Protocols;

namespace PerfTest.Metrics.Tests;

/// <summary>Totals count everything since the recorder started, across rotations and keys; windows are differences.</summary>
public class RecorderTotalsTests
{
    [Fact]
    public void Totals_survive_rotation_and_differences_give_a_window()
    {
        var recorder = new RunRecorder(2);
        Assert.Equal(default, recorder.Totals);
        recorder.Record(0, 1_000, new RequestResult(Outcome.Success, 200, 0, 0));
        recorder.Record(1, 3_000, new RequestResult(Outcome.Timeout, 0, 0, 0));
        recorder.Rotate(1);
        var first = recorder.Totals;
        Assert.Equal(new RecorderTotals(2, 1, 4_000), first);

        recorder.Record(1, 6_000, new RequestResult(Outcome.Success, 200, 0, 0));
        var window = recorder.Totals - first;
        Assert.Equal(new RecorderTotals(1, 1, 6_000), window);
        Assert.Equal(6.0, window.AverageMs);
        recorder.Rotate(2);
        Assert.Equal(new RecorderTotals(3, 2, 10_000), recorder.Totals);
        Assert.Equal(0, default(RecorderTotals).AverageMs);
    }
}
