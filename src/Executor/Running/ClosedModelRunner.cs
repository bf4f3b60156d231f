using PerfTest.Executor.Load;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Running;

/// <summary>
/// Concurrency modes: N VUs each loop the script as fast as the target answers. The shape is
/// re-read every 100 ms (so a manual level or a reshare applies within 100 ms); VUs beyond the current target leave after their iteration (closing their
/// connections), and new VUs (running the setup again) fill the slots when the target rises. At most
/// <see cref="MaxStartsPerTick"/> VUs start at one look, so a stage of many VUs ramps up over a few ticks instead of
/// opening all its connections (and thread-pool work items) in the same instant.
/// </summary>
public static class ClosedModelRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// VUs started at one look (every 100 ms): 5,000 a second, so the most an executor may run (Limits:Executor:MaxVus,
    /// 10,000) is up within 2 s, and a target sees at most 500 new connections per 100 ms from one executor.
    /// </summary>
    public const int MaxStartsPerTick = 500;

    public static async Task RunAsync(StageContext context, IConcurrencyShape shape)
    {
        var started = context.Clock.GetTimestamp();
        var target = 0;
        var vus = new List<Task>();
        var currentTarget = () => Volatile.Read(ref target);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.Drain);
        while (!done.IsCancellationRequested)
        {
            // The offset: a joining executor continues the group's curve where it is now, not from its start.
            Volatile.Write(ref target, shape.UsersAt(context.ElapsedOffset + context.Clock.GetElapsedTime(started)));
            // Slot i runs while i < target. A slot whose VU left when the target fell gets a new VU
            // when it rises again (surge, flapping, manual); not once the count is spent.
            var startedNow = 0;
            for (var i = 0; i < Volatile.Read(ref target) && context.IterationsLeft && startedNow < MaxStartsPerTick; i++)
            {
                if (i < vus.Count && !vus[i].IsCompleted)
                {
                    continue;
                }
                startedNow++;
                var vu = StartVirtualUser(context, i, currentTarget, done);
                if (i < vus.Count)
                {
                    vus[i] = vu;
                }
                else
                {
                    vus.Add(vu);
                }
            }
            context.Recorder.SetVirtualUsers(Math.Min(vus.Count(t => !t.IsCompleted), Volatile.Read(ref target)));
            if (context.Stage.OperateMode == 1 && !context.IterationsLeft && vus.All(t => t.IsCompleted))
            {
                break;
            }
            try
            {
                await Task.Delay(Tick, context.Clock, done.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await done.CancelAsync();
        await Task.WhenAll(vus);
        // The gauge keeps the stage's last level: the run's last second (rotated after this) ran with those
        // VUs; the next stage, if any, sets its own at once.
    }

    // Apart from RunAsync's loop: a lambda capturing the slot there would allocate its closure for every slot at every
    // tick (10 times a second per running VU), not only for the VUs it starts.
    private static Task StartVirtualUser(StageContext context, int index, Func<int> target, CancellationTokenSource done) =>
        Task.Run(() => VirtualUserLoop(context, index, target, done));

    private static async Task VirtualUserLoop(StageContext context, int index, Func<int> target, CancellationTokenSource done)
    {
        await using var vu = new VirtualUser(context.Recorder, context.Script.ConnectionSlots, context.Abort, context.Script.Globals);
        while (!done.IsCancellationRequested && index < target())
        {
            if (!context.TakeIteration())
            {
                return;
            }
            try
            {
                if (!await context.RunIterationAsync(vu))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (context.Abort.IsCancellationRequested || done.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
