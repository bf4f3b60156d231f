using System.Runtime.CompilerServices;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// data_type 203: only <c>percentage</c> % of the VUs run the block. VUs are numbered in the order
/// they first reach it (0, 1, 2, ...); VU n runs it when floor((n + 1) p / 100) > floor(n p / 100),
/// which picks the share evenly spread: at 25 %, VUs 3, 7, 11, ...; of any 100 consecutive VUs
/// exactly p run it. The choice is made once per VU and kept for all its iterations.
/// </summary>
public sealed class VuPercentageController(IReadOnlyList<ICard> cards, int percentage) : ICard
{
    private readonly ConditionalWeakTable<VirtualUser, StrongBox<bool>> _members = new();
    private int _arrivals = -1;

    public int Percentage { get; } = percentage;

    public ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        IsMember(vu) ? CardSequence.RunAsync(cards, vu, cancellationToken) : ValueTask.CompletedTask;

    public static bool Selects(long ordinal, int percentage) =>
        (ordinal + 1) * percentage / 100 > ordinal * percentage / 100;

    private bool IsMember(VirtualUser vu) =>
        _members.GetValue(vu, _ => new StrongBox<bool>(Selects(Interlocked.Increment(ref _arrivals), Percentage))).Value;
}
