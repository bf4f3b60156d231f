using System.Diagnostics;
using PerfTest.Executor.Scripting.Controllers;
using PerfTest.Protocols;

namespace PerfTest.Executor.Scripting.Transactions;

/// <summary>
/// A block whose content_id names a transaction: the transaction's cards run in order and are timed as
/// one, from the first card's start (its intended start in TPS mode) to the last card's end. It
/// succeeds when every request in it succeeded. Recorded under its own key, which stays out of the
/// case totals (the requests in it are counted there already).
/// </summary>
public sealed class TransactionCard(long id, string name, IReadOnlyList<ICard> cards) : ICard
{
    public long Id { get; } = id;

    public string Name { get; } = name;

    /// <summary>Set when the whole script is compiled: transaction keys follow the request cards'.</summary>
    public int Key { get; internal set; } = -1;

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var start = vu.IntendedStart != 0 ? vu.IntendedStart : Stopwatch.GetTimestamp();
        var failuresBefore = vu.Failures;
        await CardSequence.RunAsync(cards, vu, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return;  // cut by a stop: not an outcome of the target
        }
        var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        var outcome = vu.Failures == failuresBefore ? Outcome.Success : Outcome.Other;
        vu.Recorder.Record(Key, Math.Max(1, micros), new RequestResult(outcome, 0, 0, 0));
    }
}
