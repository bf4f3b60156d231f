using PerfTest.Protocols.Rtmp;
using PerfTest.Protocols.Streaming;
using PerfTest.Protocols.Tests.Streaming;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>The viewer against scripted servers: each failure stage it reports, and a play whose every message is known.</summary>
public sealed class RtmpFailureTests
{
    private static RtmpPlaySpec Spec(Uri url, double responseSeconds = 10) =>
        new(url, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(responseSeconds));

    private static async Task<StreamPlayResult> PlayAsync(RtmpPlaySpec spec, CancellationToken cancellationToken = default)
    {
        await using var player = new RtmpPlayer();
        return await player.PlayAsync(spec, cancellationToken);
    }

    [Fact]
    public async Task A_server_that_is_down_is_refused_at_tcp_connect()
    {
        var result = await PlayAsync(Spec(new Uri($"rtmp://127.0.0.1:{ExternalProcess.FreePort()}/live/test")));
        Assert.Equal(Outcome.Refused, result.Outcome);
        Assert.Equal(StreamFailure.TcpConnect, result.Failure);
        Assert.Equal(0, result.BytesSent);
    }

    [Theory]
    [InlineData("http://127.0.0.1/live/test")]
    [InlineData("rtmp://127.0.0.1/live")]
    [InlineData("rtmp://127.0.0.1/live/")]
    [InlineData("rtmp://127.0.0.1/")]
    public async Task An_illegal_url_fails_before_connecting(string url)
    {
        var result = await PlayAsync(Spec(new Uri(url)));
        Assert.Equal(StreamFailure.IllegalUrl, result.Failure);
        Assert.Equal(Outcome.Other, result.Outcome);
        Assert.Equal(0, result.BytesSent);
    }

    [Theory]
    [InlineData(FakeRtmpBehaviour.Silent, Outcome.Timeout, StreamFailure.Handshake)]
    [InlineData(FakeRtmpBehaviour.Garbage, Outcome.ParseFailed, StreamFailure.Handshake)]
    [InlineData(FakeRtmpBehaviour.HandshakeThenClose, Outcome.Other, StreamFailure.RtmpConnect)]
    [InlineData(FakeRtmpBehaviour.HandshakeThenSilent, Outcome.Timeout, StreamFailure.RtmpConnect)]
    [InlineData(FakeRtmpBehaviour.ConnectError, Outcome.CheckpointFailed, StreamFailure.RtmpConnect)]
    [InlineData(FakeRtmpBehaviour.CreateStreamError, Outcome.CheckpointFailed, StreamFailure.CreateStream)]
    public async Task Each_failing_stage_is_named(FakeRtmpBehaviour behaviour, Outcome outcome, StreamFailure failure)
    {
        using var server = new FakeRtmpServer(behaviour);
        // Short only where the server is silent: the timeout is what is tested there.
        var silent = behaviour is FakeRtmpBehaviour.Silent or FakeRtmpBehaviour.HandshakeThenSilent;
        var result = await PlayAsync(Spec(server.Url, silent ? 0.3 : 10));

        Assert.Equal((outcome, failure), (result.Outcome, result.Failure));
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Equal(0, result.PacketsReceived);
        Assert.True(result.BytesSent >= 1 + 1536);  // C0 C1 at least
    }

    [Fact]
    public async Task A_whole_scripted_play_is_counted_exactly_and_its_control_messages_answered()
    {
        using var server = new FakeRtmpServer(FakeRtmpBehaviour.FullPlay);
        var result = await PlayAsync(Spec(server.Url));
        await server.ClientGone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Outcome == Outcome.Success, result.Error);
        Assert.Equal(FakeRtmpServer.KeyFrames + FakeRtmpServer.InterFrames + FakeRtmpServer.AudioMessages, result.PacketsReceived);
        Assert.Equal(FakeRtmpServer.KeyFrames, result.KeyFrames);
        Assert.Equal((FakeRtmpServer.KeyFrames + FakeRtmpServer.InterFrames) * FakeRtmpServer.VideoSize, result.VideoBytesReceived);
        Assert.Equal(FakeRtmpServer.AudioMessages * FakeRtmpServer.AudioSize, result.AudioBytesReceived);
        Assert.NotNull(result.FirstKeyFrameDelay);
        var received = server.Received.ToList();
        Assert.Equal(["connect", "window", "createStream", "play", "user-control-3", "pong"], received.Where(r => r != "ack"));
        Assert.Contains("ack", received);  // the server's window is 1000 bytes: the client must acknowledge
        Assert.Equal(received.Count, result.PacketsSent);
    }

    [Fact]
    public async Task The_callers_cancellation_before_any_media_is_thrown()
    {
        using var server = new FakeRtmpServer(FakeRtmpBehaviour.HandshakeThenSilent);
        using var stop = new CancellationTokenSource();
        await using var player = new RtmpPlayer();
        var play = player.PlayAsync(Spec(server.Url), stop.Token);
        stop.Cancel();  // whichever stage it reached, no media came
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
    }
}
