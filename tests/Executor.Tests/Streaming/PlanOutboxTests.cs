using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Executor.Streaming;
using PerfTest.Executor.Tests.Running;
using Xunit;

namespace PerfTest.Executor.Tests.Streaming;

/// <summary>
/// The outbox never drops a second no stream took yet (back-pressure from a slow control plane, or none attached): it
/// holds them up to its byte cap, then the plan stops with outbox_full; of the written ones it keeps only the replay ring.
/// </summary>
public sealed class PlanOutboxTests
{
    private static SecondSnapshot Second(long sequence, bool final = false) =>
        new() { Sequence = sequence, UnixSecond = 1_700_000_000 + sequence, Final = final, Keys = { new KeyStats { Key = 1, Requests = sequence } } };

    private static Func<SecondSnapshot, Task> Into(List<long> written) => s =>
    {
        lock (written)
        {
            written.Add(s.Sequence);
        }
        return Task.CompletedTask;
    };

    [Fact]
    public async Task Seconds_posted_with_no_stream_attached_are_all_written_later_however_many_beyond_the_ring()
    {
        var outbox = new PlanOutbox(capacity: 5);
        for (var i = 1; i <= 500; i++)
        {
            outbox.Post(Second(i, final: i == 500));
        }
        Assert.Equal(500, outbox.Held.Snapshots);

        var written = new List<long>();
        Assert.Equal(SubscriptionEnd.Delivered, await outbox.SubscribeAsync(0, Into(written), CancellationToken.None));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), written);
        Assert.Equal(5, outbox.Held.Snapshots);  // written: only the replay ring stays
    }

    [Fact]
    public async Task A_stream_that_takes_seconds_slower_than_they_come_gets_every_one_once_in_order()
    {
        var outbox = new PlanOutbox(capacity: 3);
        var release = new TaskCompletionSource();
        var written = new List<long>();
        var first = true;
        var subscription = outbox.SubscribeAsync(0, async s =>
        {
            if (first)
            {
                first = false;
                await release.Task;  // the stream is stuck on the first second (HTTP/2 flow control)
            }
            await Into(written)(s);
        }, CancellationToken.None);

        for (var i = 1; i <= 200; i++)
        {
            outbox.Post(Second(i, final: i == 200));
        }
        Assert.Equal(200, outbox.Held.Snapshots);
        release.SetResult();

        Assert.Equal(SubscriptionEnd.Delivered, await subscription);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), written);
    }

    [Fact]
    public async Task A_new_subscriber_replays_the_written_seconds_of_the_ring_and_everything_not_written()
    {
        var outbox = new PlanOutbox(capacity: 4);
        using var cut = new CancellationTokenSource();
        var written = new List<long>();
        var subscription = outbox.SubscribeAsync(0, async s =>
        {
            await Into(written)(s);
            if (s.Sequence == 10)
            {
                await cut.CancelAsync();  // the stream breaks after the tenth
            }
        }, cut.Token);
        for (var i = 1; i <= 30; i++)
        {
            outbox.Post(Second(i));
        }
        Assert.Equal(SubscriptionEnd.Broken, await subscription);

        outbox.Post(Second(31, final: true));
        var replayed = new List<long>();
        Assert.Equal(SubscriptionEnd.Delivered, await outbox.SubscribeAsync(0, Into(replayed), CancellationToken.None));

        Assert.Equal(Enumerable.Range(7, 25).Select(i => (long)i), replayed);  // 7..10 from the ring, 11..31 never written
    }

    [Fact]
    public async Task Past_its_byte_cap_the_outbox_says_full_once_keeps_every_second_and_the_final_names_outbox_full()
    {
        var size = Second(1).CalculateSize();
        var fulls = 0;
        var outbox = new PlanOutbox(capacity: 2, maxBytes: 10L * size, full: () => fulls++);
        for (var i = 1; i <= 20; i++)
        {
            outbox.Post(Second(i));
        }
        outbox.Post(Second(21, final: true));

        Assert.Equal(1, fulls);
        var written = new List<SecondSnapshot>();
        await outbox.SubscribeAsync(0, s =>
        {
            written.Add(s);
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), written.Select(s => s.Sequence));
        Assert.StartsWith(PlanOutbox.FullReason + ":", written[^1].Error);
        Assert.All(written.SkipLast(1), s => Assert.Empty(s.Error));
    }

    [Fact]
    public async Task The_engine_stops_a_plan_whose_outbox_is_full_and_its_final_says_outbox_full()
    {
        var clock = new VirtualClock();
        var engine = new ExecutorEngine(clock, new EngineOptions { OutboxMaxBytes = 1 });
        var plan = TestPlans.RunPlan("""
            { "contents": [ { "content": [
                { "content_type": 2, "content": { "name": "tcp", "protocol_type": 3, "url": "tcp://127.0.0.1:1", "bodys": [ "x" ] } } ] } ],
              "stages": [ { "operate_mode": 0, "time": 600, "pressure_mode": 0, "issue_num": 0 } ] }
            """);
        var written = new List<SecondSnapshot>();
        var run = engine.RunAsync(plan, s =>
        {
            lock (written)
            {
                written.Add(s.Clone());
            }
            return Task.CompletedTask;
        }, CancellationToken.None);

        await ClockDriver.RunUntil(clock, () => run.IsCompleted);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(600));  // stopped, not run to its end
        Assert.True(written[^1].Final);
        Assert.StartsWith(PlanOutbox.FullReason + ":", written[^1].Error);
        Assert.Equal(Enumerable.Range(1, written.Count).Select(i => (long)i), written.Select(s => s.Sequence));
    }
}
