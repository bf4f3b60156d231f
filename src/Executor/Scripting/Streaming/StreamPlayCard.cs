namespace PerfTest.Executor.Scripting.Streaming;

/// <summary>
/// content_type 2 with protocol_type 7 (HLS, RTMP) or 10 (HTTP-FLV): one play of <c>duration</c> seconds per
/// iteration on the VU's own player (docs/protocols-streaming.md). The play counts as one request whose response
/// time is the delay to the first key frame (HLS: to the first segment), or the time until it failed; its
/// streaming counters (bytes by track, packets, key frames, failure stage) go to the report's streaming fields.
/// </summary>
public sealed class StreamPlayCard(int key, string name, int slot, StreamSource source) : IPacketCard
{
    public int Key { get; } = key;

    public string Name { get; } = name;

    public StreamSource Source { get; } = source;

    public async ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var player = vu.Client<IAsyncDisposable>(slot) ?? vu.SetClient(slot, Source.NewPlayer());
        vu.TakeStart();  // a play is timed from its own start, to its first key frame
        Protocols.Streaming.StreamPlayResult play;
        try
        {
            play = await Source.PlayAsync(player, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;  // stopped before any media: not an outcome of the target
        }
        if (cancellationToken.IsCancellationRequested && play.Outcome != Protocols.Outcome.Success)
        {
            return;  // a failure caused by the stop itself
        }
        // A play the stop cut short after media came is recorded with what it received.
        var micros = (long)(play.FirstKeyFrameDelay ?? play.Elapsed).TotalMicroseconds;
        vu.RecordPlay(Key, micros, play);
    }
}
