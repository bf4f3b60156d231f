namespace PerfTest.Protocols.Tests;

/// <summary>
/// Counts the bytes the whole process allocates over rounds of sequential sends (HTTP requests, WebSocket
/// messages). Run it off xunit's synchronization context (Task.Run), so continuations stay on pool threads.
/// </summary>
internal static class AllocationMeter
{
    public const int PerRound = 1_000;
    public const int Rounds = 10;

    /// <param name="send">One send; created once by the caller, so invoking it allocates nothing.</param>
    public static async Task<(long[] Rounds, int Failures)> MeasureAsync(Func<ValueTask<RequestResult>> send)
    {
        // Warm-up: connect, fill the pools (pipe segments, array pool, async state machine boxes, callback
        // nodes) and let tiered JIT settle.
        for (int i = 0; i < 3_000; i++)
        {
            await send().ConfigureAwait(false);
        }

        int failures = 0;
        long[] rounds = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < PerRound; i++)
            {
                RequestResult result = await send().ConfigureAwait(false);
                if (result.Outcome != Outcome.Success)
                {
                    failures++;
                }
            }

            rounds[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        return (rounds, failures);
    }

    /// <summary>A per-send allocation shows in every round (at least 24 B x 1,000); the runtime's own now and then in few.</summary>
    public static void AssertUnderOneBytePerSend(long[] rounds)
    {
        Array.Sort(rounds);
        Assert.True(rounds[0] < PerRound, $"best round: {rounds[0]} B for {PerRound} sends");
        Assert.True(rounds[Rounds / 2] < PerRound, $"median round: {rounds[Rounds / 2]} B for {PerRound} sends");
    }
}
