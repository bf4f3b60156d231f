namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>
/// Waits for a condition on something outside the browser that has no event to await (a counter of the target):
/// re-checks it every 50 ms until it holds or the limit passes. The limit only bounds a failure; a pass never waits for it.
/// </summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {limit}: {what}");
            }
            await Task.Delay(50);
        }
    }
}
