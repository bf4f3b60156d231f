using System.Buffers;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Protocols.Tests.Rtmp;

public sealed class Amf0Tests
{
    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteString(buffer, "connect");
        Amf0Writer.WriteNumber(buffer, 1);
        Amf0Writer.WriteObjectStart(buffer);
        Amf0Writer.WritePropertyName(buffer, "app");
        Amf0Writer.WriteString(buffer, "live");
        Amf0Writer.WritePropertyName(buffer, "fpad");
        Amf0Writer.WriteBoolean(buffer, false);
        Amf0Writer.WritePropertyName(buffer, "capabilities");
        Amf0Writer.WriteNumber(buffer, 15.5);
        Amf0Writer.WriteObjectEnd(buffer);
        Amf0Writer.WriteNull(buffer);
        Amf0Writer.WriteBoolean(buffer, true);

        var values = Amf0Reader.ReadAll(buffer.WrittenSpan);

        Assert.Equal(5, values.Count);
        Assert.Equal("connect", values[0]);
        Assert.Equal(1.0, values[1]);
        var properties = Assert.IsType<Dictionary<string, object?>>(values[2]);
        Assert.Equal("live", properties["app"]);
        Assert.Equal(false, properties["fpad"]);
        Assert.Equal(15.5, properties["capabilities"]);
        Assert.Null(values[3]);
        Assert.Equal(true, values[4]);
    }

    [Fact]
    public void Encodes_a_number_and_a_string_as_the_spec_lays_them_out()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Amf0Writer.WriteNumber(buffer, 1);
        Amf0Writer.WriteString(buffer, "ab");
        Assert.Equal(new byte[] { 0, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 2, 0, 2, (byte)'a', (byte)'b' }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Reads_the_types_servers_send_ecma_and_strict_arrays_dates_long_strings_undefined()
    {
        byte[] data =
        [
            8, 0, 0, 0, 2, 0, 8, (byte)'d', (byte)'u', (byte)'r', (byte)'a', (byte)'t', (byte)'i', (byte)'o', (byte)'n',
            0, 0x40, 0x24, 0, 0, 0, 0, 0, 0,  // duration: 10
            0, 1, (byte)'x', 6,  // x: undefined
            0, 0, 9,  // end of the ECMA array
            10, 0, 0, 0, 2, 1, 1, 2, 0, 1, (byte)'s',  // strict array [true, "s"]
            11, 0x42, 0x71, 0xF7, 0x1F, 0xB0, 0x45, 0, 0, 0, 0,  // date 1234567890000 ms, time zone 0
            12, 0, 0, 0, 3, (byte)'l', (byte)'o', (byte)'n',  // long string "lon"
            16, 0, 1, (byte)'T', 0, 1, (byte)'n', 5, 0, 0, 9,  // typed object T { n: null }
        ];

        var values = Amf0Reader.ReadAll(data);

        var metadata = Assert.IsType<Dictionary<string, object?>>(values[0]);
        Assert.Equal(10.0, metadata["duration"]);
        Assert.Null(metadata["x"]);
        Assert.Equal(new object?[] { true, "s" }, Assert.IsType<object?[]>(values[1]));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1234567890000), values[2]);
        Assert.Equal("lon", values[3]);
        Assert.Null(Assert.IsType<Dictionary<string, object?>>(values[4])["n"]);
    }

    [Fact]
    public void A_long_string_is_written_with_its_own_marker()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var text = new string('a', 70_000);
        Amf0Writer.WriteString(buffer, text);
        Assert.Equal(Amf0Marker.LongString, buffer.WrittenSpan[0]);
        Assert.Equal(text, Amf0Reader.ReadAll(buffer.WrittenSpan)[0]);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0x3F })]  // number cut short
    [InlineData(new byte[] { 2, 0, 5, (byte)'a' })]  // string cut short
    [InlineData(new byte[] { 3, 0, 1, (byte)'a', 5 })]  // object never ended
    [InlineData(new byte[] { 10, 0xFF, 0xFF, 0xFF, 0xFF })]  // strict array claiming more values than bytes
    [InlineData(new byte[] { 17 })]  // AMF3 switch: not decoded
    [InlineData(new byte[] { 11, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0, 0, 0 })]  // date NaN
    public void Malformed_values_are_format_errors(byte[] data) =>
        Assert.Throws<FormatException>(() => Amf0Reader.ReadAll(data));
}
