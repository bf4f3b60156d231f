using System.Buffers;
using Microsoft.AspNetCore.Http;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Tests.Http;
using PerfTest.Protocols.Tests.Streaming;

namespace PerfTest.Protocols.Tests.HttpFlv;

/// <summary>What an FLV file's tags hold, read with <see cref="FlvReader"/>: the sums a full play must report.</summary>
public sealed record FlvTally(long AudioBytes, long VideoBytes, long MediaTags, long KeyFrames, int Consumed)
{
    /// <summary>Tallies the first <paramref name="maxTags"/> tags (all of them by default).</summary>
    public static FlvTally Of(byte[] file, int maxTags = int.MaxValue)
    {
        var flv = new FlvReader();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(file));
        Assert.Equal(FlvReadStatus.Done, flv.TryRead(ref reader, out _));  // the header
        long audio = 0, video = 0, media = 0, keyFrames = 0;
        for (var tags = 0; tags < maxTags && flv.TryRead(ref reader, out FlvTag tag) == FlvReadStatus.Done; tags++)
        {
            audio += tag.Type == FlvTagType.Audio ? tag.DataSize : 0;
            video += tag.Type == FlvTagType.Video ? tag.DataSize : 0;
            media += tag.Type is FlvTagType.Audio or FlvTagType.Video ? 1 : 0;
            keyFrames += tag.IsKeyFrame ? 1 : 0;
        }
        return new FlvTally(audio, video, media, keyFrames, (int)reader.Consumed);
    }
}

/// <summary>
/// The real FLV peers of the HTTP-FLV tests, made once per test class: a 3 s clip (H.264 + AAC) that ffmpeg
/// encodes, served (1) statically by a private nginx with Content-Length (/clip.flv, /notflv.flv, /corrupt.flv)
/// and (2) live by Kestrel in chunked encoding (/live.flv: the clip in 4 KiB chunks, so tags straddle chunks;
/// /endless.flv: the clip's tags over and over, paced like a live source, until the viewer leaves).
/// </summary>
public sealed class FlvSources : IAsyncLifetime
{
    private const int EndlessRounds = 600;  // bounds the live source: a minute at its pace
    private readonly TaskCompletionSource _viewerLeftEndless = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PrivateNginx _nginx = null!;
    private KestrelHost _live = null!;

    public byte[] Clip { get; private set; } = [];

    public FlvTally Expected { get; private set; } = null!;

    /// <summary>What /corrupt.flv holds before its bad tag: the clip's first tags.</summary>
    public FlvTally CorruptPrefix { get; private set; } = null!;

    public Uri Static(string path) => new(_nginx.BaseAddress, path);

    public Uri Live(string path) => _live.Url(path);

    /// <summary>Completes when a viewer hung up on /endless.flv while it was still streaming (not after its last round).</summary>
    public Task ViewerLeftEndless => _viewerLeftEndless.Task;

    public async Task InitializeAsync()
    {
        var dir = PrivateNginx.CreateSiteDirectory("perftest-flv-");
        var clip = Path.Combine(dir, "www", "clip.flv");
        await ExternalProcess.FfmpegAsync("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-f", "flv", clip);
        Clip = await File.ReadAllBytesAsync(clip);
        Expected = FlvTally.Of(Clip);
        CorruptPrefix = FlvTally.Of(Clip, maxTags: 8);
        // A tag of type 7 (neither audio, video nor script) after eight good ones.
        byte[] badTag = [0x07, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 15];
        await File.WriteAllBytesAsync(Path.Combine(dir, "www", "corrupt.flv"), [.. Clip.AsSpan(0, CorruptPrefix.Consumed), .. badTag]);
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "notflv.flv"), "<html>this is not a video</html>\n");
        _nginx = await PrivateNginx.StartAsync(dir, "video/x-flv flv;");
        _live = await KestrelHost.StartAsync(ServeLiveAsync);
    }

    public async Task DisposeAsync()
    {
        await _live.DisposeAsync();
        await _nginx.DisposeAsync();
    }

    // No Content-Length: Kestrel sends the body chunked, one chunk per flushed write.
    internal async Task ServeLiveAsync(HttpContext context)
    {
        context.Response.ContentType = "video/x-flv";
        CancellationToken gone = context.RequestAborted;
        switch (context.Request.Path.Value)
        {
            case "/live.flv":
                for (var offset = 0; offset < Clip.Length; offset += 4096)
                {
                    await context.Response.Body.WriteAsync(Clip.AsMemory(offset, Math.Min(4096, Clip.Length - offset)), gone);
                    await context.Response.Body.FlushAsync(gone);
                }
                break;
            case "/endless.flv":
                await ServeEndlessAsync(context.Response, gone);
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private async Task ServeEndlessAsync(HttpResponse response, CancellationToken gone)
    {
        const int HeaderLength = 13;  // FLV header and PreviousTagSize0
        try
        {
            await response.Body.WriteAsync(Clip.AsMemory(0, HeaderLength), gone);
            for (var round = 0; round < EndlessRounds; round++)
            {
                await response.Body.WriteAsync(Clip.AsMemory(HeaderLength), gone);
                await response.Body.FlushAsync(gone);
                await Task.Delay(100, gone);  // pacing like a live encoder, not synchronisation
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            _viewerLeftEndless.TrySetResult();
        }
    }
}
