using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Protocols.Flv;

/// <summary>
/// One HTTP-FLV play's body side: the decoded HTTP body (Content-Length, chunked or until close) goes into a
/// private pipe, because a tag may straddle chunks and <see cref="FlvReader"/> needs the tag's bytes without
/// the chunk framing between them; the tags are then read from that pipe and counted. The pipe's segments
/// are pooled, so the media loop allocates nothing per tag. Also carries the play's wire counters and
/// builds its <see cref="StreamPlayResult"/>. One per play; not thread-safe.
/// </summary>
internal sealed class FlvPlayState : IBodySink, IDisposable
{
    // No back-pressure: every flush completes at once, and the pipe never holds more than one read of the
    // socket plus the unfinished tag, because the tags are read right after each flush.
    private static readonly PipeOptions s_bodyPipe = new(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        minimumSegmentSize: 16 * 1024,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false);

    private readonly Pipe _body = new(s_bodyPipe);
    private readonly FlvReader _flv = new();
    private readonly long _start;
    private long _bodyBytes;
    private long _audioBytes;
    private long _videoBytes;
    private long _tags;
    private long _keyFrames;
    private TimeSpan? _firstKeyFrame;
    private long _unconsumed;  // wire bytes a previous read left in the connection's pipe (a partial line)

    /// <param name="start">Stopwatch timestamp of the play's start, before connecting.</param>
    public FlvPlayState(long start) => _start = start;

    public long BytesReceived { get; private set; }

    public long BytesSent { get; set; }

    /// <summary>The response head was complete and 2xx: what follows is the FLV body.</summary>
    public bool InBody { get; set; }

    /// <summary>At least one audio or video tag arrived: a play that ends now has played something.</summary>
    public bool HasMedia => _tags > 0;

    /// <summary>A read of the connection returned <paramref name="buffer"/>: count only its new bytes.</summary>
    public void CountRead(in ReadOnlySequence<byte> buffer) => BytesReceived += buffer.Length - _unconsumed;

    /// <summary>Hands the connection's read back up to <paramref name="consumed"/>, all of it examined.</summary>
    public void AdvanceTo(PipeReader connection, in ReadOnlySequence<byte> buffer, SequencePosition consumed)
    {
        _unconsumed = buffer.Slice(consumed).Length;
        connection.AdvanceTo(consumed, buffer.End);
    }

    public void Append(in ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            _body.Writer.Write(segment.Span);
        }

        _bodyBytes += data.Length;
    }

    /// <summary>Publishes what <see cref="Append"/> wrote; completes synchronously (the pipe never pauses).</summary>
    public ValueTask<FlushResult> FlushAsync() => _body.Writer.FlushAsync();

    /// <summary>
    /// Counts every whole tag flushed so far and keeps an unfinished one for the next call. Returns
    /// <see cref="FlvReadStatus.Invalid"/> when the body is not FLV; else NeedMoreData.
    /// </summary>
    public FlvReadStatus ReadTags()
    {
        if (!_body.Reader.TryRead(out ReadResult read))
        {
            return FlvReadStatus.NeedMoreData;
        }

        var reader = new SequenceReader<byte>(read.Buffer);
        FlvReadStatus status;
        while ((status = _flv.TryRead(ref reader, out FlvTag tag)) == FlvReadStatus.Done)
        {
            Count(tag);
        }

        _body.Reader.AdvanceTo(reader.Position, read.Buffer.End);
        return status;
    }

    /// <summary>The FLV reader rejected the body: a bad header, or a bad tag after a good one.</summary>
    public StreamPlayResult InvalidFlv() => _flv.HeaderRead
        ? End(Outcome.ParseFailed, StreamFailure.ParseFlvFile, $"malformed FLV tag after {_tags} media tags: {_flv.Error}")
        : End(Outcome.ParseFailed, StreamFailure.IllegalFlvHeader, $"the body is not FLV: {_flv.Error}");

    /// <summary>The body ended (completely, or cut by the server's close): whatever played is the result.</summary>
    public StreamPlayResult BodyEnded()
    {
        if (HasMedia)
        {
            return End(Outcome.Success, StreamFailure.None, null);
        }

        return _bodyBytes > 0 && !_flv.HeaderRead
            ? End(Outcome.ParseFailed, StreamFailure.IllegalFlvHeader, $"the body ended after {_bodyBytes} bytes, inside the FLV header")
            : End(Outcome.Other, StreamFailure.Play, $"the body ended after {_bodyBytes} bytes, before any media tag");
    }

    /// <summary>The watch time passed (only counted once the body began) or the caller cancelled while the stream ran.</summary>
    public StreamPlayResult EndedEarly(bool canceled, TimeSpan duration)
    {
        if (HasMedia)
        {
            return End(Outcome.Success, StreamFailure.None, null);
        }

        return canceled
            ? End(Outcome.Other, StreamFailure.Unknown, "the play was cancelled before any media tag")
            : End(Outcome.Other, StreamFailure.Play, $"no media tag within the play's {duration}");
    }

    public StreamPlayResult End(Outcome outcome, StreamFailure failure, string? error) => new()
    {
        Outcome = outcome,
        Failure = failure,
        Error = error,
        BytesReceived = BytesReceived,
        BytesSent = BytesSent,
        AudioBytesReceived = _audioBytes,
        VideoBytesReceived = _videoBytes,
        PacketsReceived = _tags,
        PacketsSent = BytesSent > 0 ? 1 : 0,
        KeyFrames = _keyFrames,
        FirstKeyFrameDelay = _firstKeyFrame,
        Elapsed = Stopwatch.GetElapsedTime(_start),
    };

    public void Dispose()
    {
        _body.Writer.Complete();
        _body.Reader.Complete();
    }

    private void Count(in FlvTag tag)
    {
        switch (tag.Type)
        {
            case FlvTagType.Audio:
                _audioBytes += tag.DataSize;
                _tags++;
                break;
            case FlvTagType.Video:
                _videoBytes += tag.DataSize;
                _tags++;
                if (tag.IsKeyFrame)
                {
                    _keyFrames++;
                    _firstKeyFrame ??= Stopwatch.GetElapsedTime(_start);
                }

                break;
        }
    }
}
