using System.Diagnostics;
using System.Text;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Protocols.Hls;

/// <summary>What one HLS play of a card asks for (protocol_type 7 with an .m3u8 url).</summary>
public sealed record HlsPlaySpec(Uri Url, int BitrateType, TimeSpan Duration, int RetryTimes, TimeSpan RetryDelay);

/// <summary>What one play did: counts for the streaming report fields, and the first segment's delay as its response time.</summary>
public sealed record HlsPlayResult(
    Outcome Outcome,
    StreamFailure Failure,
    int PlaylistLoads,
    int Segments,
    long BytesReceived,
    long BytesSent,
    int Retries,
    TimeSpan? FirstSegmentDelay,
    string? Error,
    TimeSpan Elapsed = default)
{
    /// <summary>The common streaming shape: segments are the packets received, GETs (playlists, segments,
    /// retries) the packets sent, the first segment stands for the first key frame (HLS is not demuxed).</summary>
    public StreamPlayResult ToStreamPlay() => new()
    {
        Outcome = Outcome,
        Failure = Failure,
        Error = Error,
        BytesReceived = BytesReceived,
        BytesSent = BytesSent,
        PacketsReceived = Segments,
        PacketsSent = PlaylistLoads + Segments + Retries,
        FirstKeyFrameDelay = FirstSegmentDelay,
        Retries = Retries,
        Elapsed = Elapsed,
    };
}

/// <summary>
/// One virtual user's HLS viewer: loads the (master) playlist, picks a variant by <c>bitrate_type</c>, then
/// reloads the media playlist and downloads its segments in order until <c>duration</c> has passed or a
/// finished (#EXT-X-ENDLIST) playlist is exhausted. A failed playlist or segment is retried <c>retry_time</c>
/// times after <c>retry_delay</c>. Segment bodies are counted, not kept. See docs/protocols-streaming.md.
/// </summary>
public sealed class HlsPlayer(HttpClientOptions options) : IAsyncDisposable
{
    private readonly Http1Connection _connection = new(options);

    public async Task<HlsPlayResult> PlayAsync(HlsPlaySpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var state = new PlayState(Stopwatch.GetTimestamp());
        try
        {
            var media = await LoadPlaylistAsync(spec.Url, spec, state, cancellationToken);
            var mediaUrl = spec.Url;
            if (media.IsMaster)
            {
                mediaUrl = media.SelectVariant(spec.BitrateType).Uri;
                media = await LoadPlaylistAsync(mediaUrl, spec, state, cancellationToken);
            }
            await PlayMediaAsync(media, mediaUrl, spec, state, cancellationToken);
            return state.Result(Outcome.Success, StreamFailure.None, null);
        }
        catch (PlayFailed failed)
        {
            return state.Result(failed.Outcome, failed.Failure, failed.Message);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task PlayMediaAsync(M3u8Playlist media, Uri mediaUrl, HlsPlaySpec spec, PlayState state, CancellationToken cancellationToken)
    {
        var next = media.Segments.Count > 0 ? media.Segments[0].Sequence : 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var segment in media.Segments.Where(s => s.Sequence >= next))
            {
                if (state.Elapsed >= spec.Duration)
                {
                    return;
                }
                await FetchAsync(segment.Uri, capture: null, spec, state, cancellationToken);
                state.SegmentDone();
                next = segment.Sequence + 1;
            }
            if (media.Ended || state.Elapsed >= spec.Duration)
            {
                return;
            }
            // A live playlist: ask again after half a target duration (RFC 8216 6.3.4), for what came since.
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, media.TargetDurationSeconds / 2)), cancellationToken);
            media = await LoadPlaylistAsync(mediaUrl, spec, state, cancellationToken);
        }
    }

    private async Task<M3u8Playlist> LoadPlaylistAsync(Uri url, HlsPlaySpec spec, PlayState state, CancellationToken cancellationToken)
    {
        var capture = new HttpResponseCapture();
        await FetchAsync(url, capture, spec, state, cancellationToken);
        state.PlaylistLoaded();
        try
        {
            return M3u8Playlist.Parse(Encoding.UTF8.GetString(capture.Body), url);
        }
        catch (FormatException e)
        {
            throw new PlayFailed(Outcome.ParseFailed, StreamFailure.ParseFile, $"{url}: {e.Message}");
        }
    }

    /// <summary>One GET with the card's retries; throws <see cref="PlayFailed"/> when every attempt failed.</summary>
    private async Task FetchAsync(Uri url, HttpResponseCapture? capture, HlsPlaySpec spec, PlayState state, CancellationToken cancellationToken)
    {
        var request = HttpRequestTemplate.Create("GET", url, [], default);
        for (var attempt = 0; ; attempt++)
        {
            var result = await _connection.SendAsync(request, capture, cancellationToken);
            state.Count(result);
            if (result.Outcome == Outcome.Success)
            {
                return;
            }
            if (attempt >= spec.RetryTimes)
            {
                var failure = attempt > 0 ? StreamFailure.Retry : result.Outcome switch
                {
                    Outcome.Timeout => StreamFailure.HttpTimeout,
                    Outcome.Refused => StreamFailure.TcpConnect,
                    _ => StreamFailure.Unknown,
                };
                throw new PlayFailed(result.Outcome, failure, $"GET {url}: {result.Outcome} (status {result.StatusCode}) after {attempt + 1} attempt(s)");
            }
            state.Retried();
            await Task.Delay(spec.RetryDelay, cancellationToken);
        }
    }

    private sealed class PlayFailed(Outcome outcome, StreamFailure failure, string message) : Exception(message)
    {
        public Outcome Outcome { get; } = outcome;
        public StreamFailure Failure { get; } = failure;
    }

    /// <summary>The counters of one play.</summary>
    private sealed class PlayState(long started)
    {
        private int _playlists;
        private int _segments;
        private int _retries;
        private long _received;
        private long _sent;
        private TimeSpan? _firstSegment;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

        public void Count(in RequestResult result)
        {
            _received += result.BytesReceived;
            _sent += result.BytesSent;
        }

        public void PlaylistLoaded() => _playlists++;

        public void Retried() => _retries++;

        public void SegmentDone()
        {
            _segments++;
            _firstSegment ??= Elapsed;
        }

        public HlsPlayResult Result(Outcome outcome, StreamFailure failure, string? error) =>
            new(outcome, failure, _playlists, _segments, _received, _sent, _retries, _firstSegment, error, Elapsed);
    }
}
