using System.Buffers;
using System.Text;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>Drives <see cref="ResponseParser"/> the way the connection does, over chosen buffer shapes.</summary>
internal static class ParserHarness
{
    public sealed record Parsed(ParseStatus Status, long Consumed, ResponseParser Parser);

    /// <summary>All bytes at once, in one segment.</summary>
    public static Parsed Whole(string response, bool head = false, HttpResponseCapture? capture = null)
    {
        var parser = new ResponseParser();
        parser.Reset(head, capture);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(response));
        ParseStatus status = parser.Parse(buffer, out SequencePosition consumed);
        return new Parsed(status, buffer.Slice(0, consumed).Length, parser);
    }

    /// <summary>
    /// Bytes arrive <paramref name="step"/> at a time; unconsumed bytes are presented again with the new ones,
    /// exactly like a pipe after AdvanceTo(consumed, examined: end). Ends at Done/Error or when input runs out.
    /// </summary>
    public static Parsed Trickle(string response, int step, bool head = false, HttpResponseCapture? capture = null, bool endOfStream = false)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(response);
        var parser = new ResponseParser();
        parser.Reset(head, capture);
        int start = 0;
        int available = 0;
        while (true)
        {
            available = Math.Min(bytes.Length, available + step);
            ReadOnlySequence<byte> buffer = Segmented(bytes.AsMemory(start, available - start), step);
            ParseStatus status = parser.Parse(buffer, out SequencePosition consumed);
            start += (int)buffer.Slice(0, consumed).Length;
            if (status != ParseStatus.NeedMoreData)
            {
                return new Parsed(status, start, parser);
            }

            if (available == bytes.Length)
            {
                if (endOfStream && parser.TryCompleteAtEndOfStream())
                {
                    return new Parsed(ParseStatus.Done, start, parser);
                }

                return new Parsed(ParseStatus.NeedMoreData, start, parser);
            }
        }
    }

    /// <summary>A sequence of segments of at most <paramref name="segmentSize"/> bytes (lines straddle segments).</summary>
    public static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> data, int segmentSize)
    {
        if (data.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data[..segmentSize], 0);
        Segment last = first;
        for (int offset = segmentSize; offset < data.Length; offset += segmentSize)
        {
            last = last.Append(data.Slice(offset, Math.Min(segmentSize, data.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
