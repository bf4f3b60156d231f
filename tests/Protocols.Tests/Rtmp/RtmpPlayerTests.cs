using PerfTest.Protocols.Rtmp;
using PerfTest.Protocols.Streaming;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>One nginx-rtmp with ffmpeg publishing live/test, shared by the tests of <see cref="RtmpPlayerTests"/>.</summary>
public sealed class NginxRtmpFixture : IAsyncLifetime
{
    public NginxRtmpServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await NginxRtmpServer.StartAsync();
        await Server.PublishAsync("test");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The RTMP viewer against a real nginx with the RTMP module, fed by ffmpeg (Debian packages).</summary>
public sealed class RtmpPlayerTests(NginxRtmpFixture fixture, ITestOutputHelper output) : IClassFixture<NginxRtmpFixture>
{
    private static RtmpPlaySpec Spec(Uri url, double seconds = 2) =>
        new(url, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

    private static async Task<StreamPlayResult> PlayAsync(RtmpPlaySpec spec, CancellationToken cancellationToken = default)
    {
        await using var player = new RtmpPlayer();
        return await player.PlayAsync(spec, cancellationToken);
    }

    [Fact]
    public async Task Plays_a_live_stream_and_counts_its_audio_video_and_key_frames()
    {
        var result = await PlayAsync(Spec(fixture.Server.Live("test")));
        output.WriteLine(result.ToString());

        Assert.True(result.Outcome == Outcome.Success, result.Error);
        Assert.Equal(StreamFailure.None, result.Failure);
        Assert.Null(result.Error);
        Assert.True(result.VideoBytesReceived > 0);
        Assert.True(result.AudioBytesReceived > 0);
        Assert.True(result.KeyFrames >= 1);
        Assert.NotNull(result.FirstKeyFrameDelay);
        Assert.True(result.FirstKeyFrameDelay <= result.Elapsed);
        Assert.True(result.PacketsReceived > result.KeyFrames);
        // The wire carries the media plus the handshake, chunk headers and commands.
        Assert.True(result.BytesReceived > result.AudioBytesReceived + result.VideoBytesReceived + 2 * 1536);
        // connect, Window Acknowledgement Size (nginx sends Set Peer Bandwidth), createStream, play, Set Buffer Length.
        Assert.True(result.PacketsSent >= 5, $"{result.PacketsSent} messages sent");
        Assert.True(result.BytesSent > 2 * 1536);
    }

    [Fact]
    public async Task A_stream_nobody_publishes_is_a_play_failure()
    {
        var result = await PlayAsync(Spec(fixture.Server.Live("nobody")));

        Assert.Equal(Outcome.CheckpointFailed, result.Outcome);
        Assert.Equal(StreamFailure.Play, result.Failure);
        Assert.Contains("NetStream.Play.StreamNotFound", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.PacketsReceived);
    }

    [Fact]
    public async Task An_unknown_application_is_an_rtmp_connect_failure()
    {
        var url = new Uri($"rtmp://127.0.0.1:{fixture.Server.Port}/nosuchapp/test");
        var result = await PlayAsync(Spec(url));
        output.WriteLine(result.ToString());

        Assert.NotEqual(Outcome.Success, result.Outcome);
        Assert.Equal(StreamFailure.RtmpConnect, result.Failure);
    }

    [Fact]
    public async Task The_callers_cancellation_ends_a_play_with_media_as_a_success()
    {
        using var stop = new CancellationTokenSource();
        stop.CancelAfter(TimeSpan.FromSeconds(3));  // a live 25 fps stream: media flows long before
        var result = await PlayAsync(Spec(fixture.Server.Live("test"), seconds: 600), stop.Token);

        Assert.True(result.Outcome == Outcome.Success, result.Error);
        Assert.True(result.KeyFrames >= 1);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(600));
    }

    [Fact]
    public async Task Plays_after_each_other_on_one_player()
    {
        await using var player = new RtmpPlayer();
        for (var i = 0; i < 2; i++)
        {
            var result = await player.PlayAsync(Spec(fixture.Server.Live("test"), seconds: 1), CancellationToken.None);
            Assert.True(result.Outcome == Outcome.Success, result.Error);
            // Media on the reused player; a key frame is not promised within 1 s of a live stream joined mid-GOP.
            Assert.True(result.VideoBytesReceived > 0 && result.PacketsReceived > 0, result.ToString());
        }
    }
}
