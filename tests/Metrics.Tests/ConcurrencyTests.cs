using PerfTest.Protocols;

namespace PerfTest.Metrics.Tests;

/// <summary>Many threads record while another rotates: nothing is lost or counted twice.</summary>
public class ConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 50_000;
    private const int Keys = 4;

    [Fact]
    public void Concurrent_recording_and_rotation_lose_nothing()
    {
        var recorder = new RunRecorder(Keys);
        using var start = new Barrier(Threads + 1);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                var outcome = i % 10 == 0 ? Outcome.Timeout : Outcome.Success;
                recorder.Record((t + i) % Keys, 1 + (i % 5_000), new RequestResult(outcome, 200, 1, 2));
            }
        })).ToList();
        workers.ForEach(w => w.Start());

        // Rotate as fast as possible while the workers run, then once more after they stopped.
        var snapshots = new List<IntervalSnapshot>();
        start.SignalAndWait();
        long second = 0;
        while (workers.Exists(w => w.IsAlive))
        {
            snapshots.Add(recorder.Rotate(second++));
        }

        workers.ForEach(w => w.Join());
        snapshots.Add(recorder.Rotate(second));

        const long total = (long)Threads * PerThread;
        var whole = TestData.Merge(snapshots.Select(s => s.FindKey(-1)!));
        Assert.Equal(total, whole.Requests);
        Assert.Equal(total / 10, whole.Count(Outcome.Timeout));
        Assert.Equal(total, whole.StatusClasses[1]);
        Assert.Equal(total, whole.BytesSent);
        Assert.Equal(2 * total, whole.BytesReceived);
        Assert.Equal(Threads * SumOfLatencies(), whole.SumMicros);
        Assert.Equal(1, whole.MinMicros);
        Assert.Equal(5_000, whole.MaxMicros);

        // Every interval is self-consistent: counters and histogram saw the same requests,
        // and the case is the sum of the keys.
        foreach (var snapshot in snapshots)
        {
            foreach (var key in snapshot.Keys)
            {
                Assert.Equal(key.Requests, LatencyHistogram.Decode(key.Histogram)?.TotalCount ?? 0);
            }

            Assert.Equal(snapshot.FindKey(-1)!.Requests, snapshot.Keys.Where(k => k.Key >= 0).Sum(k => k.Requests));
        }

        Assert.Equal(total, snapshots.Sum(s => s.Keys.Where(k => k.Key >= 0).Sum(k => k.Requests)));
    }

    private static long SumOfLatencies()
    {
        long sum = 0;
        for (int i = 0; i < PerThread; i++)
        {
            sum += 1 + (i % 5_000);
        }

        return sum;
    }
}
