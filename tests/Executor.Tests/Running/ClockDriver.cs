namespace PerfTest.Executor.Tests.Running;

/// <summary>
/// Moves a <see cref="VirtualClock"/> from one timer to the next while a plan runs on it, each time once something
/// waits on it again. Polls the condition (no sleep decides an outcome); a 30 s guard only ends a hung test.
/// </summary>
internal static class ClockDriver
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>Fires timers until <paramref name="done"/> holds.</summary>
    public static async Task RunUntil(VirtualClock clock, Func<bool> done)
    {
        var guard = DateTime.UtcNow + HangGuard;
        while (!done())
        {
            if (DateTime.UtcNow > guard)
            {
                throw new TimeoutException("the condition never held");
            }
            if (clock.NextDue is { } due)
            {
                clock.AdvanceTo(due);
            }
            await Task.Delay(1);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails the test with <paramref name="failure"/> after the guard.</summary>
    public static async Task Until(Func<bool> condition, Func<string> failure)
    {
        var guard = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Xunit.Assert.True(DateTime.UtcNow < guard, failure());
            await Task.Delay(1);
        }
    }
}
