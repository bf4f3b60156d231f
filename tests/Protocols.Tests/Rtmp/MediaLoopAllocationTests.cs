using System.Buffers;
using System.Diagnostics;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>The media path (chunk reassembly and counting) allocates nothing per message once its buffers exist.</summary>
public sealed class MediaLoopAllocationTests
{
    [Fact]
    public void Reading_and_counting_media_messages_allocates_nothing()
    {
        // 1,000 video and audio messages as our own writer chunks them (128-byte chunks, format 0 then 3).
        var writer = new ChunkWriter();
        for (var i = 0; i < 500; i++)
        {
            Media(writer, RtmpMessageType.Video, 700, i % 25 == 0 ? (byte)0x17 : (byte)0x27);
            Media(writer, RtmpMessageType.Audio, 60, 0xAF);
        }
        var wire = new ReadOnlySequence<byte>(writer.Pending);
        var chunks = new ChunkReader();
        var media = new MediaCounters(Stopwatch.GetTimestamp());
        Count(wire, chunks, media);  // warm-up: the chunk streams' buffers and the JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        Count(wire, chunks, media);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2_000, media.Packets);
        Assert.Equal(40, media.KeyFrames);
    }

    private static void Count(ReadOnlySequence<byte> wire, ChunkReader chunks, MediaCounters media)
    {
        var reader = new SequenceReader<byte>(wire);
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            media.TryCount(message);
        }
    }

    private static void Media(ChunkWriter writer, byte type, int size, byte first)
    {
        var payload = writer.BeginMessage();
        var span = payload.GetSpan(size)[..size];
        span.Clear();
        span[0] = first;
        payload.Advance(size);
        writer.EndMessage(type == RtmpMessageType.Video ? 6 : 4, type, 1);
    }
}
