namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>A TPS stage (pressure_mode 1, operate_mode 0: by time) as the case's stage JSON.</summary>
/// <param name="Tps">tps_value.</param>
/// <param name="Seconds">time.</param>
internal sealed record TpsStage(int Tps, int Seconds)
{
    /// <summary>The most requests in flight (issue_num): a tenth of a second's worth, at least 10.</summary>
    public int Concurrency => Math.Max(10, Tps / 10);

    public string Json => $$"""[ { "name": "s", "operate_mode": 0, "time": {{Seconds}}, "pressure_mode": 1, "tps_value": {{Tps}}, "issue_num": {{Concurrency}} } ]""";
}

/// <summary>Reading the target's requests per wall-clock second.</summary>
internal static class TargetRate
{
    /// <summary>
    /// The seconds between the first and the last second with requests, both excluded (the run starts and ends inside
    /// them), a second without requests counted as 0.
    /// </summary>
    public static IReadOnlyList<(long Second, long Requests)> FullSeconds(IReadOnlyList<(long Second, long Requests)> perSecond)
    {
        if (perSecond.Count < 3)
        {
            return [];
        }
        var counts = perSecond.ToDictionary(s => s.Second, s => s.Requests);
        return Enumerable.Range(0, (int)(perSecond[^1].Second - perSecond[0].Second - 1))
            .Select(i => perSecond[0].Second + 1 + i)
            .Select(second => (second, counts.GetValueOrDefault(second)))
            .ToList();
    }

    /// <summary>The full seconds from <paramref name="from"/> (Unix seconds) up to, not including, <paramref name="until"/>.</summary>
    public static IReadOnlyList<(long Second, long Requests)> Between(IReadOnlyList<(long Second, long Requests)> perSecond, long from, long until) =>
        FullSeconds(perSecond).Where(s => s.Second >= from && s.Second < until).ToList();

    /// <summary>
    /// The seconds of <paramref name="window"/> that did not hold <paramref name="rate"/> within 10 %, neither alone
    /// nor with a neighbour (in <paramref name="perSecond"/>) whose mean with it is within 10 %. A stall of this shared
    /// 2-core machine (a GC, a new pod's JIT) moves part of one second's requests into the next; the open model
    /// catches up on its schedule, so the pair holds the rate and nothing is missing. A share not taken over, or taken
    /// twice, misses or overshoots second after second, which no neighbour makes up.
    /// </summary>
    public static IReadOnlyList<(long Second, long Requests)> Unheld(IReadOnlyList<(long Second, long Requests)> perSecond,
        IReadOnlyList<(long Second, long Requests)> window, int rate)
    {
        var counts = perSecond.ToDictionary(s => s.Second, s => s.Requests);
        bool Within(double requests) => requests >= rate * 0.9 && requests <= rate * 1.1;
        bool WithNeighbour(long second, long requests, long neighbour) =>
            counts.TryGetValue(neighbour, out var other) && Within((requests + other) / 2.0);
        return window.Where(s => !Within(s.Requests) && !WithNeighbour(s.Second, s.Requests, s.Second - 1)
            && !WithNeighbour(s.Second, s.Requests, s.Second + 1)).ToList();
    }

    /// <summary>How many seconds of <paramref name="window"/> were out of 10 % alone but made up with a neighbour.</summary>
    public static int MadeUp(IReadOnlyList<(long Second, long Requests)> perSecond, IReadOnlyList<(long Second, long Requests)> window, int rate) =>
        window.Count(s => s.Requests < rate * 0.9 || s.Requests > rate * 1.1) - Unheld(perSecond, window, rate).Count;
}
