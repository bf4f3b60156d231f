using System.Buffers;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

/// <summary>The HTTP client's read buffer: bytes a response left stay in order, and a line longer than the free space fits.</summary>
public sealed class ResponseBufferTests
{
    private static void Append(ResponseBuffer buffer, byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var free = buffer.Free().Span;
            var count = Math.Min(free.Length, bytes.Length - offset);
            bytes.AsSpan(offset, count).CopyTo(free);
            buffer.Commit(count);
            offset += count;
        }
    }

    private static void ConsumeFirst(ResponseBuffer buffer, int count)
    {
        var data = buffer.Data;
        buffer.Consume(data, data.GetPosition(count));
    }

    [Fact]
    public void Unparsed_bytes_move_to_the_front_when_the_end_is_reached()
    {
        var buffer = new ResponseBuffer();
        var first = Enumerable.Range(0, 16 * 1024).Select(i => (byte)i).ToArray();
        Append(buffer, first);
        ConsumeFirst(buffer, first.Length - 100);  // a response ended 100 bytes before the end of the array

        var tail = first[^100..];
        Assert.Equal(tail, buffer.Data.ToArray());
        Assert.True(buffer.Free().Length > 100);  // made room: the 100 bytes now start the array
        Assert.Equal(tail, buffer.Data.ToArray());
    }

    [Fact]
    public void A_full_buffer_of_one_unfinished_line_grows_and_keeps_it()
    {
        var buffer = new ResponseBuffer();
        var line = Enumerable.Repeat((byte)'x', 20 * 1024).ToArray();
        Append(buffer, line);  // more than the initial 16 KiB, nothing consumed

        Assert.Equal(line.Length, buffer.Length);
        Assert.Equal(line, buffer.Data.ToArray());
        ConsumeFirst(buffer, line.Length);
        Assert.False(buffer.HasData);
        Assert.Equal(0, buffer.Length);
    }
}
