using System.Buffers.Binary;
using System.Text;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// Decodes AMF0 values from a command message's payload into plain .NET values: number → double,
/// boolean → bool, string and long string → string, null and undefined → null, object / ECMA array /
/// typed object → <see cref="Dictionary{TKey,TValue}"/> (string → value), strict array → object?[],
/// date → <see cref="DateTimeOffset"/> (UTC; the time-zone field is reserved and ignored).
/// Allocates: used for command messages only, never for media. A malformed value is a <see cref="FormatException"/>.
/// </summary>
internal ref struct Amf0Reader(ReadOnlySpan<byte> data)
{
    // Nesting deeper than this is no command a server sends: refuse it rather than recurse without bound.
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>Every value of the payload, in order (a command: name, transaction id, then its arguments).</summary>
    public static List<object?> ReadAll(ReadOnlySpan<byte> data)
    {
        var reader = new Amf0Reader(data);
        var values = new List<object?>();
        while (!reader.End)
        {
            values.Add(reader.ReadValue());
        }
        return values;
    }

    public object? ReadValue() => ReadValue(0);

    private object? ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"AMF0 values nested deeper than {MaxDepth}");
        }
        var marker = Take(1)[0];
        return marker switch
        {
            Amf0Marker.Number => BinaryPrimitives.ReadDoubleBigEndian(Take(8)),
            Amf0Marker.Boolean => Take(1)[0] != 0,
            Amf0Marker.String => ReadUtf8(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
            Amf0Marker.LongString or Amf0Marker.XmlDocument => ReadUtf8(checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)))),
            Amf0Marker.Object => ReadProperties(depth),
            Amf0Marker.TypedObject => ReadTypedObject(depth),
            Amf0Marker.EcmaArray => ReadEcmaArray(depth),
            Amf0Marker.StrictArray => ReadStrictArray(depth),
            Amf0Marker.Date => ReadDate(),
            Amf0Marker.Null or Amf0Marker.Undefined or Amf0Marker.Unsupported => null,
            _ => throw new FormatException($"AMF0 marker {marker} at offset {_position - 1} is not supported"),
        };
    }

    private Dictionary<string, object?> ReadTypedObject(int depth)
    {
        _ = ReadUtf8(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));  // the class name: a viewer has no use for it
        return ReadProperties(depth);
    }

    private Dictionary<string, object?> ReadEcmaArray(int depth)
    {
        // The count is only a hint (nginx writes 0 for onMetaData): the end marker is what ends it.
        _ = Take(4);
        return ReadProperties(depth);
    }

    /// <summary>Name/value pairs up to the empty name followed by the object-end marker.</summary>
    private Dictionary<string, object?> ReadProperties(int depth)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            var name = ReadUtf8(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
            if (name.Length == 0 && Peek() == Amf0Marker.ObjectEnd)
            {
                _position++;
                return properties;
            }
            properties[name] = ReadValue(depth + 1);
        }
    }

    private object?[] ReadStrictArray(int depth)
    {
        var count = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
        // Every value takes at least one byte: a count beyond what is left is a lie, not an allocation to make.
        if (count > (uint)(_data.Length - _position))
        {
            throw new FormatException($"AMF0 strict array of {count} values in {_data.Length - _position} bytes");
        }
        var values = new object?[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadValue(depth + 1);
        }
        return values;
    }

    private DateTimeOffset ReadDate()
    {
        var milliseconds = BinaryPrimitives.ReadDoubleBigEndian(Take(8));
        _ = Take(2);  // time zone: reserved, "should be 0"
        // AddMilliseconds throws on NaN or out-of-range values: that is the payload's fault, a format error.
        const double Limit = 8.64e15;  // ECMAScript's time value range
        if (!(Math.Abs(milliseconds) <= Limit))
        {
            throw new FormatException($"AMF0 date {milliseconds} ms is out of range");
        }
        return DateTimeOffset.UnixEpoch.AddMilliseconds(milliseconds);
    }

    private string ReadUtf8(int length) => Encoding.UTF8.GetString(Take(length));

    private readonly byte Peek() =>
        _position < _data.Length ? _data[_position] : throw new FormatException("AMF0 object not ended");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new FormatException($"AMF0 value truncated at offset {_position} (needs {count} bytes, {_data.Length - _position} left)");
        }
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
