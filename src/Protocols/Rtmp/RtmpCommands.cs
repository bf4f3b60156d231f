using System.Globalization;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// The NetConnection / NetStream commands a viewer sends (RTMP specification 7.2), AMF0-encoded on
/// <see cref="ChunkWriter"/>, and the reading of the server's answers.
/// </summary>
internal static class RtmpCommands
{
    public const double ConnectTransaction = 1;
    public const double CreateStreamTransaction = 2;

    /// <summary>connect: what a Flash player on Linux announces (ffmpeg sends the same), no AMF3.</summary>
    public static void Connect(ChunkWriter writer, RtmpUrl url)
    {
        var payload = writer.BeginMessage();
        Amf0Writer.WriteString(payload, "connect");
        Amf0Writer.WriteNumber(payload, ConnectTransaction);
        Amf0Writer.WriteObjectStart(payload);
        Property(payload, "app", url.App);
        Property(payload, "flashVer", "LNX 9,0,124,2");
        Property(payload, "tcUrl", url.TcUrl);
        Amf0Writer.WritePropertyName(payload, "fpad");
        Amf0Writer.WriteBoolean(payload, false);  // no proxy
        Property(payload, "capabilities", 15);
        Property(payload, "audioCodecs", 4071);  // every codec flag of the spec's table
        Property(payload, "videoCodecs", 252);
        Property(payload, "videoFunction", 1);  // can seek frame-accurately (SUPPORT_VID_CLIENT_SEEK)
        Property(payload, "objectEncoding", 0);  // AMF0
        Amf0Writer.WriteObjectEnd(payload);
        writer.EndMessage(RtmpChunkStream.Command, RtmpMessageType.Amf0Command, 0);
    }

    public static void CreateStream(ChunkWriter writer)
    {
        var payload = writer.BeginMessage();
        Amf0Writer.WriteString(payload, "createStream");
        Amf0Writer.WriteNumber(payload, CreateStreamTransaction);
        Amf0Writer.WriteNull(payload);
        writer.EndMessage(RtmpChunkStream.Command, RtmpMessageType.Amf0Command, 0);
    }

    /// <summary>
    /// play with start -2: the live stream if one is published, else a recorded one of that name (spec 7.2.2.1);
    /// the server answers with onStatus, not _result, so the transaction id is 0.
    /// </summary>
    public static void Play(ChunkWriter writer, uint streamId, string streamName)
    {
        var payload = writer.BeginMessage();
        Amf0Writer.WriteString(payload, "play");
        Amf0Writer.WriteNumber(payload, 0);
        Amf0Writer.WriteNull(payload);
        Amf0Writer.WriteString(payload, streamName);
        Amf0Writer.WriteNumber(payload, -2);
        writer.EndMessage(RtmpChunkStream.Play, RtmpMessageType.Amf0Command, streamId);
        // How much the server may buffer ahead for us (ms); some servers wait for it before sending media.
        writer.UserControl(UserControlEvent.SetBufferLength, streamId, 1000);
    }

    private static void Property(System.Buffers.IBufferWriter<byte> payload, string name, string value)
    {
        Amf0Writer.WritePropertyName(payload, name);
        Amf0Writer.WriteString(payload, value);
    }

    private static void Property(System.Buffers.IBufferWriter<byte> payload, string name, double value)
    {
        Amf0Writer.WritePropertyName(payload, name);
        Amf0Writer.WriteNumber(payload, value);
    }

    /// <summary>Decodes a command message (AMF0, or AMF3's type 17 which starts with a format byte then AMF0 values).</summary>
    public static RtmpCommand Decode(in RtmpMessage message)
    {
        var span = message.Payload.Span;
        if (message.TypeId == RtmpMessageType.Amf3Command && span.Length > 0)
        {
            span = span[1..];
        }
        var values = Amf0Reader.ReadAll(span);
        if (values.Count < 2 || values[0] is not string name)
        {
            throw new FormatException("a command message does not start with a name and a transaction id");
        }
        return new RtmpCommand(name, values[1] as double? ?? 0, values);
    }
}

/// <summary>A decoded command: its name, transaction id and every value (name and id included).</summary>
internal sealed record RtmpCommand(string Name, double Transaction, List<object?> Values)
{
    /// <summary>The last object among the arguments (connect's _result has the properties first): the "information object" of _result, _error and onStatus.</summary>
    public IReadOnlyDictionary<string, object?>? Info =>
        Values.Skip(2).OfType<Dictionary<string, object?>>().LastOrDefault();

    /// <summary>The info object's <c>code</c> (NetStream.Play.Start...), or null.</summary>
    public string? Code => Info?.GetValueOrDefault("code") as string;

    /// <summary>The info object's <c>level</c> ("status", "error", "warning"), or null.</summary>
    public string? Level => Info?.GetValueOrDefault("level") as string;

    /// <summary>For the run log: the code and description the server gave, or the whole values.</summary>
    public string Describe()
    {
        var description = Info?.GetValueOrDefault("description") as string;
        return Code is null ? string.Join(", ", Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "null"))
            : description is null ? Code : $"{Code} ({description})";
    }
}
