namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>Runs a block's cards in order for one VU: what every controller does with its children.</summary>
public static class CardSequence
{
    public static async ValueTask RunAsync(IReadOnlyList<ICard> cards, VirtualUser vu, CancellationToken cancellationToken)
    {
        for (var i = 0; i < cards.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            await cards[i].ExecuteAsync(vu, cancellationToken);
        }
    }
}
