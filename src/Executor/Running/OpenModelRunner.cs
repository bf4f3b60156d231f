using System.Diagnostics;
using System.Threading.Channels;
using PerfTest.Executor.Load;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Running;

/// <summary>
/// TPS modes (open model): iterations start on a schedule set by the shape (<see cref="ArrivalSchedule"/>), whatever
/// the target does. Each start carries its intended time, and the first request of the iteration is timed from it,
/// so a stalling target shows in the percentiles instead of slowing the schedule (no coordinated omission). At most
/// MaxUsers VUs are busy; starts wait for a free one in a bounded queue (<see cref="StartQueueCapacity"/>). When it is
/// full (the target stalls every VU) the schedule waits for room: back-pressure, so a stalled target cannot grow memory.
/// The starts held back keep their intended times, so the stall still shows in the response times once they run, and
/// none is lost (a count-mode stage still runs its count). The schedule runs on the stage's clock
/// (<see cref="StageContext.Clock"/>), so a virtual clock drives it in tests.
/// </summary>
public static class OpenModelRunner
{
    /// <summary>The longest wait between two looks at the schedule: a manual level or a reshare set meanwhile is read by then
    /// (the schedule reads the rate every <see cref="ArrivalSchedule.Step"/>, MaxUsers at every start).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Starts waiting for a free VU, at most: about 1/200 s of starts at the most an executor may be asked (200,000/s,
    /// Limits:Executor:MaxTps), 8 bytes each; the VUs take them within microseconds while the target answers.
    /// </summary>
    public const int StartQueueCapacity = 1024;

    public static Task RunAsync(StageContext context, IArrivalShape shape) => RunAsync(context, shape, StartQueueCapacity);

    /// <summary>As <see cref="RunAsync(StageContext, IArrivalShape)"/> with a queue of <paramref name="queueCapacity"/> starts (tests).</summary>
    internal static async Task RunAsync(StageContext context, IArrivalShape shape, int queueCapacity)
    {
        var clock = context.Clock;
        var starts = Channel.CreateBounded<long>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = false, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        var workers = new List<Task>();
        var idle = 0;
        var schedule = new ArrivalSchedule(shape, clock.TimestampFrequency, context.ElapsedOffset);
        var longestWait = (long)(LongestWait.TotalSeconds * clock.TimestampFrequency);
        var origin = clock.GetTimestamp();
        try
        {
            while (!context.Drain.IsCancellationRequested && (context.Stage.OperateMode != 1 || context.IterationsLeft))
            {
                var now = clock.GetTimestamp() - origin;
                while (starts.Reader.Count < queueCapacity && schedule.TryPeek(now, out var due))
                {
                    // Taken in time mode too (its budget is unbounded): the snapshots report the starts of the stage.
                    if (!context.TakeIteration())
                    {
                        break;
                    }
                    if (Volatile.Read(ref idle) == 0 && workers.Count < shape.MaxUsers)
                    {
                        Interlocked.Increment(ref idle);
                        workers.Add(Task.Run(() => Worker(context, starts.Reader, () => Interlocked.Increment(ref idle), () => Interlocked.Decrement(ref idle))));
                    }
                    starts.Writer.TryWrite(origin + due);
                    schedule.Take();
                }
                context.Recorder.SetVirtualUsers(workers.Count - Math.Max(0, Volatile.Read(ref idle)));
                if (starts.Reader.Count >= queueCapacity)
                {
                    await starts.Writer.WaitToWriteAsync(context.Drain);  // back-pressure: every VU is busy and the queue full
                    continue;
                }
                var wake = origin + (schedule.TryPeek(now + longestWait, out var next) ? next : now + longestWait);
                await Task.Delay(Until(clock, wake), clock, context.Drain);
            }
        }
        catch (OperationCanceledException) when (context.Drain.IsCancellationRequested)
        {
        }
        starts.Writer.Complete();
        await Task.WhenAll(workers);
        // The gauge keeps the stage's last level: the run's last second (rotated after this) ran with those
        // VUs; the next stage, if any, sets its own at once.
    }

    /// <summary>
    /// From now to <paramref name="timestamp"/> on <paramref name="clock"/>, rounded up to whole milliseconds: Task.Delay
    /// truncates to those, and a wait cut to 0 would complete at once and spin (forever on a virtual clock, which
    /// moves only while the runner waits); zero when it is past.
    /// </summary>
    private static TimeSpan Until(TimeProvider clock, long timestamp)
    {
        var left = timestamp - clock.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000.0 / clock.TimestampFrequency));
    }

    /// <summary>
    /// The Stopwatch timestamp (which the cards time requests with) as long ago as <paramref name="timestamp"/> is on
    /// the stage's clock: the same value on the system clock, and a start as late on a virtual one.
    /// </summary>
    private static long OnStopwatch(TimeProvider clock, long timestamp) =>
        Stopwatch.GetTimestamp() - (long)((clock.GetTimestamp() - timestamp) * ((double)Stopwatch.Frequency / clock.TimestampFrequency));

    private static async Task Worker(StageContext context, ChannelReader<long> starts, Action becameIdle, Action becameBusy)
    {
        await using var vu = new VirtualUser(context.Recorder, context.Script.ConnectionSlots, context.Abort, context.Script.Globals);
        try
        {
            await foreach (var intended in starts.ReadAllAsync())
            {
                becameBusy();
                try
                {
                    if (context.Drain.IsCancellationRequested)
                    {
                        return; // scheduled but never sent: not counted
                    }
                    vu.IntendedStart = OnStopwatch(context.Clock, intended);
                    await context.RunIterationAsync(vu);
                }
                finally
                {
                    becameIdle();
                }
            }
        }
        catch (OperationCanceledException) when (context.Abort.IsCancellationRequested)
        {
        }
    }
}
