using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// Writes AMF0 values (the encoding of RTMP command messages, type 20) into a reusable buffer. Only what a
/// viewer sends: numbers, booleans, strings, null and anonymous objects.
/// </summary>
internal static class Amf0Writer
{
    public static void WriteNumber(IBufferWriter<byte> output, double value)
    {
        var span = output.GetSpan(9);
        span[0] = Amf0Marker.Number;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        output.Advance(9);
    }

    public static void WriteBoolean(IBufferWriter<byte> output, bool value)
    {
        var span = output.GetSpan(2);
        span[0] = Amf0Marker.Boolean;
        span[1] = value ? (byte)1 : (byte)0;
        output.Advance(2);
    }

    /// <summary>A string; one longer than 65535 UTF-8 bytes becomes a long string (marker 12).</summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var isLong = length > ushort.MaxValue;
        var span = output.GetSpan(length + 5);
        span[0] = isLong ? Amf0Marker.LongString : Amf0Marker.String;
        var header = 1;
        if (isLong)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            header += 4;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            header += 2;
        }
        Encoding.UTF8.GetBytes(value, span[header..]);
        output.Advance(header + length);
    }

    public static void WriteNull(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = Amf0Marker.Null;
        output.Advance(1);
    }

    public static void WriteObjectStart(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = Amf0Marker.Object;
        output.Advance(1);
    }

    /// <summary>An object property's name: a UTF-8 string without a marker (names are short).</summary>
    public static void WritePropertyName(IBufferWriter<byte> output, string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        var span = output.GetSpan(length + 2);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)length);
        Encoding.UTF8.GetBytes(name, span[2..]);
        output.Advance(length + 2);
    }

    /// <summary>The object end: an empty name then marker 9.</summary>
    public static void WriteObjectEnd(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(3);
        span[0] = 0;
        span[1] = 0;
        span[2] = Amf0Marker.ObjectEnd;
        output.Advance(3);
    }
}

/// <summary>The AMF0 type markers (AMF0 specification, section 2.1).</summary>
internal static class Amf0Marker
{
    public const byte Number = 0;
    public const byte Boolean = 1;
    public const byte String = 2;
    public const byte Object = 3;
    public const byte MovieClip = 4;
    public const byte Null = 5;
    public const byte Undefined = 6;
    public const byte Reference = 7;
    public const byte EcmaArray = 8;
    public const byte ObjectEnd = 9;
    public const byte StrictArray = 10;
    public const byte Date = 11;
    public const byte LongString = 12;
    public const byte Unsupported = 13;
    public const byte XmlDocument = 15;
    public const byte TypedObject = 16;
}
