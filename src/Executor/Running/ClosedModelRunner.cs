using PerfTest.Executor.Load;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Running;

/// <summary>
/// Concurrency modes: N VUs each loop the script as fast as the target answers. The shape is
/// re-read every 100 ms (so a manual level or a reshare applies within 100 ms); VUs beyond the current target leave after their iteration (closing their
/// connections), and new VUs (running the setup again) fill the slots when the target rises.
/// </summary>
public static class ClosedModelRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

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
            for (var i = 0; i < Volatile.Read(ref target) && context.IterationsLeft; i++)
            {
                if (i < vus.Count && !vus[i].IsCompleted)
                {
                    continue;
                }
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
