using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Streaming;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Flv;

/// <summary>What one HTTP-FLV play of a card asks for: the stream's http(s) URL, how long to watch it, and its timeouts.</summary>
public sealed record HttpFlvPlaySpec(Uri Url, TimeSpan Duration, TimeSpan ConnectTimeout, TimeSpan ResponseTimeout);

/// <summary>
/// One virtual user's HTTP-FLV viewer: GETs the stream's URL over the HTTP client's connector (TCP, TLS),
/// requires a 2xx status, then reads the body (Content-Length, chunked or until close) as it arrives and
/// counts its FLV tags, until <see cref="HttpFlvPlaySpec.Duration"/> has passed since the 2xx response head came
/// (then it closes the connection) or the body ends. Connecting and waiting for the head are bounded by the
/// spec's ConnectTimeout and ResponseTimeout, not by the duration, so a slow start never eats the watch time. The body is counted, not kept. See docs/protocols-streaming.md.
/// </summary>
/// <remarks>
/// A peer's failure is never an exception: it is the result's <see cref="StreamPlayResult.Failure"/> stage and
/// <see cref="StreamPlayResult.Outcome"/>. Cancelling the token ends the play early, like the duration ending:
/// Success when media tags came, else Failure Unknown (Outcome Other), so a stopped run is not counted against
/// the server. One play at a time per player.
/// </remarks>
public sealed class HttpFlvPlayer : IAsyncDisposable
{
    private static readonly Action<object?> s_cancelTimer = static timer => ((RequestTimer)timer!).Cancel();

    // Connection: close: the play is the connection's only exchange, so the server need not keep it for another.
    private static readonly KeyValuePair<string, string>[] s_headers = [new("Accept", "*/*"), new("Connection", "close")];

    private readonly HttpClientOptions _options;
    private bool _disposed;

    public HttpFlvPlayer(HttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public async Task<StreamPlayResult> PlayAsync(HttpFlvPlaySpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var state = new FlvPlayState(Stopwatch.GetTimestamp());
        if (!TryEncodeRequest(spec.Url, out byte[]? request, out string? urlError))
        {
            return state.End(Outcome.Other, StreamFailure.IllegalUrl, urlError);
        }

        // The spec's timeouts win over the card's client options; TLS settings come from the options.
        var connector = new Connector(new HttpClientOptions
        {
            ConnectTimeout = spec.ConnectTimeout,
            ResponseTimeout = spec.ResponseTimeout,
            AcceptAnyServerCertificate = _options.AcceptAnyServerCertificate,
            Targets = _options.Targets,
        });
        using var timer = new RequestTimer();
        // Caller cancellation fires the one timer token every await uses; the token itself says which it was.
        await using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(s_cancelTimer, timer);
        ConnectResult connected;
        try
        {
            connected = await connector.ConnectAsync(HttpEndpoint.FromUri(spec.Url), timer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return state.EndedEarly(canceled: true, spec.Duration);
        }

        if (connected.Connection is not ConnectionStream connection)
        {
            return state.End(connected.Outcome, StreamFailure.TcpConnect, $"could not connect to {spec.Url.Authority}: {connected.Outcome}");
        }

        using (connection)
        {
            return await ExchangeAsync(connection, request, spec, state, timer, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Plays own their connections and close them when they end: nothing outlives a PlayAsync.
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Only absolute http/https URLs are playable; anything the request encoder rejects is illegal too.</summary>
    private static bool TryEncodeRequest(Uri url, [NotNullWhen(true)] out byte[]? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        error = null;
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{url}' is not an absolute http or https URL";
            return false;
        }

        try
        {
            request = RequestEncoder.Encode("GET", url, s_headers, default, out _);
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Writes the GET, then reads until the play ends; every ending is a result.</summary>
    private static async Task<StreamPlayResult> ExchangeAsync(ConnectionStream connection, byte[] request, HttpFlvPlaySpec spec,
        FlvPlayState state, RequestTimer timer, CancellationToken cancellationToken)
    {
        StreamPlayResult? failed = await SendRequestAsync(connection, request, spec, state, timer, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            return failed;
        }

        var parser = new ResponseParser();
        parser.Reset(isHeadRequest: false, capture: null);
        long watchStart = 0;  // Stopwatch timestamp of the 2xx head: the duration counts from there
        while (true)
        {
            // One deadline per read: the response timeout (no head, or a gap in the body), or the end of the
            // watch time if that comes sooner.
            TimeSpan untilEnd = watchStart == 0 ? TimeSpan.MaxValue : spec.Duration - Stopwatch.GetElapsedTime(watchStart);
            if (untilEnd <= TimeSpan.Zero)
            {
                return state.EndedEarly(canceled: false, spec.Duration);
            }

            bool endsAtDuration = untilEnd <= spec.ResponseTimeout;
            ReadResult read;
            timer.Arm(endsAtDuration ? untilEnd : spec.ResponseTimeout);
            try
            {
                ThrowIfCanceled(cancellationToken);
                read = await connection.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                return Interrupted(error, state, timer, cancellationToken.IsCancellationRequested, endsAtDuration, spec);
            }
            finally
            {
                timer.Disarm();
            }

            state.CountRead(read.Buffer);
            StreamPlayResult? ended = await OnReadAsync(parser, state, connection.Reader, read).ConfigureAwait(false);
            if (ended is not null)
            {
                return ended;
            }

            if (watchStart == 0 && state.InBody)
            {
                watchStart = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>The GET goes out under the response timeout (a peer that does not read is a timeout too).</summary>
    private static async Task<StreamPlayResult?> SendRequestAsync(ConnectionStream connection, byte[] request, HttpFlvPlaySpec spec,
        FlvPlayState state, RequestTimer timer, CancellationToken cancellationToken)
    {
        timer.Arm(spec.ResponseTimeout);
        try
        {
            ThrowIfCanceled(cancellationToken);
            await connection.Writer.WriteAsync(request, timer.Token).ConfigureAwait(false);
            state.BytesSent = request.Length;
            return null;
        }
        catch (Exception error)
        {
            return Interrupted(error, state, timer, cancellationToken.IsCancellationRequested, endsAtDuration: false, spec);
        }
        finally
        {
            timer.Disarm();
        }
    }

    /// <summary>
    /// Parses what one read brought: the response head, then body data into the FLV tags. Returns the
    /// play's result when this read ended it, else null (read more).
    /// </summary>
    private static async ValueTask<StreamPlayResult?> OnReadAsync(ResponseParser parser, FlvPlayState state, PipeReader reader, ReadResult read)
    {
        ReadOnlySequence<byte> buffer = read.Buffer;
        SequencePosition consumed;
        if (!state.InBody)
        {
            ParseStatus head = parser.ParseHead(buffer, out consumed);
            if (head != ParseStatus.Done)
            {
                state.AdvanceTo(reader, buffer, consumed);
                return head == ParseStatus.Error
                    ? state.End(Outcome.ParseFailed, StreamFailure.Unknown, "the response head is not valid HTTP/1.x")
                    : read.IsCompleted ? ClosedBeforeHead(state) : null;
            }

            if (parser.StatusCode is < 200 or > 299)
            {
                return state.End(Outcome.CheckpointFailed, StreamFailure.Play, $"HTTP status {parser.StatusCode}");
            }

            state.InBody = true;
            buffer = buffer.Slice(consumed);
        }

        ParseStatus body = ParseStatus.Done;  // a 2xx without a body (Content-Length: 0, 204)
        consumed = buffer.Start;
        if (parser.Framing != BodyFraming.None)
        {
            body = parser.ParseBody(buffer, state, out consumed);
        }

        state.AdvanceTo(reader, read.Buffer, consumed);
        await state.FlushAsync().ConfigureAwait(false);
        if (state.ReadTags() == FlvReadStatus.Invalid)
        {
            return state.InvalidFlv();
        }

        return body switch
        {
            ParseStatus.Error => state.End(Outcome.ParseFailed, StreamFailure.Unknown, "malformed chunked framing in the body"),
            ParseStatus.Done => state.BodyEnded(),
            _ => read.IsCompleted ? state.BodyEnded() : null,  // closed: the end of an until-close body, or a cut one
        };
    }

    /// <summary>
    /// A cancellation that came while the timer was being disarmed cancelled the source Disarm then replaced,
    /// so the fresh token does not carry it; the caller's token does, and is checked once the timer is armed
    /// (a cancellation after this check cancels the armed source).
    /// </summary>
    private static void ThrowIfCanceled(CancellationToken cancellationToken) => cancellationToken.ThrowIfCancellationRequested();

    private static StreamPlayResult ClosedBeforeHead(FlvPlayState state) => state.BytesReceived == 0
        ? state.End(Outcome.Refused, StreamFailure.Unknown, "the server closed the connection without answering")
        : state.End(Outcome.Other, StreamFailure.Unknown, "the server closed the connection inside the response head");

    /// <summary>A write or read threw: the caller cancelled, the play's time is up, the response timed out, or the connection broke.</summary>
    private static StreamPlayResult Interrupted(Exception error, FlvPlayState state, RequestTimer timer, bool canceled,
        bool endsAtDuration, HttpFlvPlaySpec spec)
    {
        if (canceled || (timer.Fired && endsAtDuration))
        {
            return state.EndedEarly(canceled, spec.Duration);
        }

        if (timer.Fired)
        {
            return state.End(Outcome.Timeout, StreamFailure.HttpTimeout,
                state.InBody ? $"no body data for {spec.ResponseTimeout}" : $"no response head within {spec.ResponseTimeout}");
        }

        if (state.InBody && error is IOException or System.Net.Sockets.SocketException)
        {
            // A broken connection ends the stream like a close does: what played counts.
            return state.BodyEnded();
        }

        Outcome outcome = ErrorClassifier.IsRefusedOrReset(error) ? Outcome.Refused : Outcome.Other;
        return state.End(outcome, StreamFailure.Unknown, $"the connection failed before the response head: {error.Message}");
    }
}
