using System.Diagnostics;
using System.Threading.Channels;
using PerfTest.Executor.Load;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Running;

/// <summary>
/// TPS modes (open model): iterations start on a schedule set by the shape, whatever the target
/// does. Each start carries its intended time, and the first request of the iteration is timed
/// from it, so a stalling target shows in the percentiles instead of slowing the schedule
/// (no coordinated omission). At most MaxUsers VUs are busy; starts wait for a free one.
/// </summary>
public static class OpenModelRunner
{
    private const double IdleStep = 0.01;

    public static async Task RunAsync(StageContext context, IArrivalShape shape)
    {
        var starts = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
        var workers = new List<Task>();
        var idle = 0;
        var origin = Stopwatch.GetTimestamp();
        double next = 0; // seconds after origin of the next intended start
        try
        {
            while (!context.Drain.IsCancellationRequested && (context.Stage.OperateMode != 1 || context.IterationsLeft))
            {
                var now = Stopwatch.GetElapsedTime(origin).TotalSeconds;
                while (next <= now)
                {
                    var rate = shape.RateAt(TimeSpan.FromSeconds(next));
                    if (rate <= 0)
                    {
                        // Nothing is due at a zero rate (a wave's trough, a manual 0, a share of 0): look again shortly.
                        next += IdleStep;
                        continue;
                    }
                    if (context.Stage.OperateMode == 1 && !context.TakeIteration())
                    {
                        break;
                    }
                    if (Volatile.Read(ref idle) == 0 && workers.Count < shape.MaxUsers)
                    {
                        Interlocked.Increment(ref idle);
                        workers.Add(Task.Run(() => Worker(context, starts.Reader, () => Interlocked.Increment(ref idle), () => Interlocked.Decrement(ref idle))));
                    }
                    starts.Writer.TryWrite(origin + (long)(next * Stopwatch.Frequency));
                    next += 1.0 / rate;
                }
                context.Recorder.SetVirtualUsers(workers.Count - Math.Max(0, Volatile.Read(ref idle)));
                var wait = next - Stopwatch.GetElapsedTime(origin).TotalSeconds;
                await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(wait, 0.001, 0.1)), context.Drain);
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
                    vu.IntendedStart = intended;
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
