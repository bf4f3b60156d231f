using PerfTest.Protocols;
using Xunit;

namespace PerfTest.Protocols.Tests;

/// <summary>A capture's buffer never holds more than its cap, however much is appended; it counts the rest.</summary>
public sealed class CappedBufferTests
{
    [Fact]
    public void Appending_64_MiB_keeps_the_cap_and_counts_everything()
    {
        var buffer = new CappedBuffer();
        buffer.Clear(4096);
        var block = new byte[64 * 1024];
        for (var i = 0; i < 1024; i++)
        {
            Array.Fill(block, (byte)i);
            buffer.Append(block);
            Assert.True(buffer.Kept <= 4096);
        }
        Assert.Equal(4096, buffer.Kept);
        Assert.Equal(64L * 1024 * 1024, buffer.Seen);
        Assert.All(buffer.ToArray(), b => Assert.Equal(0, b)); // the beginning, from the first block
    }

    [Fact]
    public void A_cut_inside_a_block_keeps_exactly_the_cap_and_clear_starts_over()
    {
        var buffer = new CappedBuffer();
        buffer.Clear(10);
        buffer.Append("0123456"u8);
        buffer.Append("789abcdef"u8);
        Assert.Equal("0123456789"u8.ToArray(), buffer.ToArray());
        Assert.Equal(16, buffer.Seen);
        buffer.Clear(3);
        buffer.Append("xyz!"u8);
        Assert.Equal("xyz"u8.ToArray(), buffer.ToArray());
        Assert.Equal(4, buffer.Seen);
    }
}
