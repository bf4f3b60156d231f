using System.Buffers.Binary;
using System.Diagnostics;
using PerfTest.Protocols.Streaming;
using PerfTest.Protocols.Targets;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Rtmp;

/// <summary>What one RTMP play of a card asks for: the rtmp://host[:port]/app/stream URL, how long to watch, and the timeouts.</summary>
public sealed record RtmpPlaySpec(Uri Url, TimeSpan Duration, TimeSpan ConnectTimeout, TimeSpan ResponseTimeout);

/// <summary>
/// One virtual user's RTMP viewer: TCP connect, simple handshake, connect to the application, createStream,
/// play the stream, then count the audio and video it receives for the spec's duration and close. A peer's
/// failure is never thrown: it is a result naming the stage that failed (<see cref="StreamFailure"/>).
/// The caller's cancellation ends the play early: a success when media came, otherwise an
/// <see cref="OperationCanceledException"/> (the caller stopped before there was anything to report).
/// See docs/protocols-streaming.md.
/// </summary>
/// <param name="targets">Where it may connect; null: anywhere but link-local and cloud metadata addresses.</param>
public sealed class RtmpPlayer(TargetPolicy? targets = null) : IAsyncDisposable
{
    // Kept across plays: a virtual user resolves its host once, as the other clients do.
    private readonly AddressResolver _resolver = new(targets ?? TargetPolicy.Unrestricted);

    public async Task<StreamPlayResult> PlayAsync(RtmpPlaySpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var play = new Play(spec, Stopwatch.GetTimestamp());
        if (!RtmpUrl.TryParse(spec.Url, out var url, out var error))
        {
            return play.Result(Outcome.Other, StreamFailure.IllegalUrl, error);
        }
        try
        {
            play.Session = await RtmpSession.ConnectAsync(_resolver, url!, spec.ConnectTimeout, cancellationToken);
            play.Stage = StreamFailure.Handshake;
            await play.Session.HandshakeAsync(spec.ResponseTimeout);
            await ConnectAsync(play, url!);
            var streamId = await CreateStreamAsync(play);
            await StartPlayAsync(play, streamId, url!.StreamName);
            await ReceiveMediaAsync(play);
            return play.Result(Outcome.Success, StreamFailure.None, null);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stopped the play (a cancelled socket call may surface as another exception type):
            // with media it was under way, a success; without, there is nothing to report.
            if (play.Media.Any)
            {
                return play.Result(Outcome.Success, StreamFailure.None, null);
            }
            throw new OperationCanceledException("the play was cancelled before any media", cancellationToken);
        }
        catch (Exception e)
        {
            var (outcome, failure) = Classify(e, play.Stage);
            return play.Result(outcome, failure, $"{StageName(failure)}: {e.Message}");
        }
        finally
        {
            if (play.Session is not null)
            {
                await play.Session.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;  // each play owns and closes its connection

    private static async Task ConnectAsync(Play play, RtmpUrl url)
    {
        play.Stage = StreamFailure.RtmpConnect;
        RtmpCommands.Connect(play.Session!.Output, url);
        await play.Session.FlushAsync(play.Spec.ResponseTimeout);
        await WaitForResultAsync(play, RtmpCommands.ConnectTransaction);
    }

    private static async Task<uint> CreateStreamAsync(Play play)
    {
        play.Stage = StreamFailure.CreateStream;
        RtmpCommands.CreateStream(play.Session!.Output);
        await play.Session.FlushAsync(play.Spec.ResponseTimeout);
        var result = await WaitForResultAsync(play, RtmpCommands.CreateStreamTransaction);
        return result.Values.Count > 3 && result.Values[3] is double id && id is >= 0 and <= uint.MaxValue
            ? (uint)id
            : throw new FormatException($"createStream's _result carries no stream id: {result.Describe()}");
    }

    /// <summary>Sends play and waits for NetStream.Play.Start (Reset and other statuses may come first) or for media.</summary>
    private static async Task StartPlayAsync(Play play, uint streamId, string streamName)
    {
        play.Stage = StreamFailure.Play;
        RtmpCommands.Play(play.Session!.Output, streamId, streamName);
        await play.Session.FlushAsync(play.Spec.ResponseTimeout);
        var deadline = Stopwatch.GetTimestamp() + ToTicks(play.Spec.ResponseTimeout);
        while (true)
        {
            var message = await play.Session.ReadMessageAsync(Remaining(deadline));
            if (play.Media.TryCount(message))
            {
                return;  // media before the status: the play has started all the same
            }
            if (CheckStreamEnd(message) is { } end)
            {
                throw new PlayFailed(end);
            }
            if (IsCommand(message) && RtmpCommands.Decode(message) is { Name: "onStatus" } status)
            {
                if (status.Code == "NetStream.Play.Start")
                {
                    return;
                }
                if (status.Level == "error" || status.Code is "NetStream.Play.StreamNotFound" or "NetStream.Play.Failed")
                {
                    throw new PlayFailed($"the server refused to play '{streamName}': {status.Describe()}");
                }
            }
        }
    }

    /// <summary>Counts media until the duration has passed, the stream ends, or a gap exceeds the response timeout.</summary>
    private static async Task ReceiveMediaAsync(Play play)
    {
        var end = play.Started + ToTicks(play.Spec.Duration);
        while (Stopwatch.GetTimestamp() < end)
        {
            var untilEnd = Remaining(end);
            var durationBound = untilEnd <= play.Spec.ResponseTimeout;
            RtmpMessage message;
            try
            {
                message = await play.Session!.ReadMessageAsync(durationBound ? untilEnd : play.Spec.ResponseTimeout);
            }
            catch (TimeoutException) when (durationBound && play.Media.Any)
            {
                return;  // the play's time is up while waiting: not a gap
            }
            catch (EndOfStreamException) when (play.Media.Any)
            {
                return;  // the server closed a stream we watched: it ended early, the play still saw media
            }
            if (play.Media.TryCount(message))
            {
                continue;
            }
            var ended = CheckStreamEnd(message);
            if (ended is null && IsCommand(message) && RtmpCommands.Decode(message) is { Name: "onStatus" } status
                && status.Code is "NetStream.Play.Stop" or "NetStream.Play.UnpublishNotify" or "NetStream.Play.Complete")
            {
                ended = status.Describe();
            }
            if (ended is not null && play.Media.Any)
            {
                return;  // the publisher stopped: the stream ended early, the play still saw media
            }
            if (ended is not null)
            {
                throw new PlayFailed($"the stream ended before any media: {ended}");
            }
        }
        if (!play.Media.Any)
        {
            throw new TimeoutException($"no media in the play's {play.Spec.Duration.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>Reads messages (control ones are answered by the session) until the _result or _error of <paramref name="transaction"/>.</summary>
    private static async Task<RtmpCommand> WaitForResultAsync(Play play, double transaction)
    {
        var deadline = Stopwatch.GetTimestamp() + ToTicks(play.Spec.ResponseTimeout);
        while (true)
        {
            var message = await play.Session!.ReadMessageAsync(Remaining(deadline));
            if (!IsCommand(message))
            {
                continue;
            }
            var command = RtmpCommands.Decode(message);
            if (command.Transaction != transaction || command.Name is not ("_result" or "_error"))
            {
                continue;
            }
            return command.Name == "_result" ? command : throw new CommandRefused(command.Describe());
        }
    }

    /// <summary>A User Control StreamEOF says the stream we play has no more data.</summary>
    private static string? CheckStreamEnd(in RtmpMessage message)
    {
        var payload = message.Payload.Span;
        return message.TypeId == RtmpMessageType.UserControl && payload.Length >= 2
            && BinaryPrimitives.ReadUInt16BigEndian(payload) == UserControlEvent.StreamEof
            ? "StreamEOF" : null;
    }

    private static bool IsCommand(in RtmpMessage message) =>
        message.TypeId is RtmpMessageType.Amf0Command or RtmpMessageType.Amf3Command;

    private static (Outcome Outcome, StreamFailure Failure) Classify(Exception error, StreamFailure stage) => error switch
    {
        TimeoutException => (Outcome.Timeout, stage),
        CommandRefused => (Outcome.CheckpointFailed, stage),
        PlayFailed => (Outcome.CheckpointFailed, StreamFailure.Play),
        // Broken chunking or AMF: counted against the stage that read it.
        FormatException => (Outcome.ParseFailed, stage),
        EndOfStreamException => (Outcome.Other, stage),
        _ when stage == StreamFailure.TcpConnect => (ErrorClassifier.ClassifyConnectFailure(error, timedOut: false), stage),
        _ when ErrorClassifier.IsRefusedOrReset(error) => (Outcome.Refused, stage),
        _ => (Outcome.Other, stage == StreamFailure.None ? StreamFailure.Unknown : stage),
    };

    private static string StageName(StreamFailure stage) => stage switch
    {
        StreamFailure.TcpConnect => "TCP connect",
        StreamFailure.Handshake => "handshake",
        StreamFailure.RtmpConnect => "connect",
        StreamFailure.CreateStream => "createStream",
        StreamFailure.Play => "play",
        _ => stage.ToString(),
    };

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan Remaining(long deadline) =>
        TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    /// <summary>The server answered a command with _error.</summary>
    private sealed class CommandRefused(string message) : Exception(message);

    /// <summary>The server refused the play (onStatus error) or the stream ended before any media.</summary>
    private sealed class PlayFailed(string message) : Exception(message);

    /// <summary>One play's state: the stage reached, its connection and its counters.</summary>
    private sealed class Play(RtmpPlaySpec spec, long started)
    {
        public RtmpPlaySpec Spec { get; } = spec;

        public long Started { get; } = started;

        public StreamFailure Stage { get; set; } = StreamFailure.TcpConnect;

        public RtmpSession? Session { get; set; }

        public MediaCounters Media { get; } = new(started);

        public StreamPlayResult Result(Outcome outcome, StreamFailure failure, string? error) => new()
        {
            Outcome = outcome,
            Failure = failure,
            Error = error,
            BytesReceived = Session?.BytesReceived ?? 0,
            BytesSent = Session?.BytesSent ?? 0,
            AudioBytesReceived = Media.AudioBytes,
            VideoBytesReceived = Media.VideoBytes,
            PacketsReceived = Media.Packets,
            PacketsSent = Session?.MessagesSent ?? 0,
            KeyFrames = Media.KeyFrames,
            FirstKeyFrameDelay = Media.FirstKeyFrameDelay,
            Elapsed = Stopwatch.GetElapsedTime(Started),
        };
    }
}
