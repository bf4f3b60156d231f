using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using PerfTest.Protocols.Rtmp;

namespace PerfTest.Protocols.Tests.Rtmp;

/// <summary>How the scripted server misbehaves (or behaves).</summary>
public enum FakeRtmpBehaviour
{
    /// <summary>Accepts and never answers.</summary>
    Silent,
    /// <summary>Answers C0 C1 with an HTTP error.</summary>
    Garbage,
    /// <summary>Completes the handshake, then closes.</summary>
    HandshakeThenClose,
    /// <summary>Completes the handshake, then never answers.</summary>
    HandshakeThenSilent,
    /// <summary>Answers connect with _error.</summary>
    ConnectError,
    /// <summary>Answers createStream with _error.</summary>
    CreateStreamError,
    /// <summary>A whole play: control messages, a ping, key and inter frames, audio, then StreamEOF.</summary>
    FullPlay,
}

/// <summary>
/// A scripted RTMP server on 127.0.0.1 for the failure classes nginx cannot be made to produce, and for a
/// play whose every message is known. It reads the client's messages with the library's own chunk reader
/// and records what it got ("connect", "createStream", "play", "ack", "pong", "window").
/// </summary>
public sealed class FakeRtmpServer : IDisposable
{
    /// <summary>The media FullPlay sends: video key frames, inter frames and audio messages, with these payload sizes.</summary>
    public const int KeyFrames = 3, InterFrames = 5, AudioMessages = 7, VideoSize = 300, AudioSize = 50;

    private readonly LoopbackListener _listener;
    private readonly FakeRtmpBehaviour _behaviour;

    public FakeRtmpServer(FakeRtmpBehaviour behaviour)
    {
        _behaviour = behaviour;
        _listener = new LoopbackListener("fake-rtmp", Serve);
    }

    public Uri Url => new($"rtmp://127.0.0.1:{_listener.Port}/app/stream");

    /// <summary>What the server received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Set when the server saw the client close (or reset) the connection.</summary>
    public TaskCompletionSource ClientGone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket)
    {
        using (socket)
        {
            try
            {
                ServeScript(socket);
            }
            catch (Exception)
            {
                // the client went away mid-script
            }
            ClientGone.TrySetResult();
        }
    }

    private void ServeScript(Socket socket)
    {
        if (_behaviour == FakeRtmpBehaviour.Silent)
        {
            Drain(socket);
            return;
        }
        var c0c1 = ReceiveExactly(socket, 1 + 1536);
        if (_behaviour == FakeRtmpBehaviour.Garbage)
        {
            socket.Send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8);
            Drain(socket);
            return;
        }
        var s0s1s2 = new byte[1 + 2 * 1536];
        s0s1s2[0] = 3;
        c0c1.AsSpan(1).CopyTo(s0s1s2.AsSpan(1 + 1536));  // S2 echoes C1 (S1 stays zeros: time 0, zero version)
        socket.Send(s0s1s2);
        ReceiveExactly(socket, 1536);  // C2
        switch (_behaviour)
        {
            case FakeRtmpBehaviour.HandshakeThenClose:
                socket.Shutdown(SocketShutdown.Both);
                return;
            case FakeRtmpBehaviour.HandshakeThenSilent:
                Drain(socket);
                return;
        }
        ServeCommands(socket);
    }

    /// <summary>Reads the client's messages and answers each command as the behaviour says.</summary>
    private void ServeCommands(Socket socket)
    {
        var chunks = new ChunkReader();
        var pending = new byte[1 << 16];
        var length = 0;
        while (true)
        {
            var read = socket.Receive(pending.AsSpan(length));
            if (read == 0)
            {
                return;
            }
            length += read;
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending, 0, length));
            while (chunks.TryReadMessage(ref reader, out var message))
            {
                Answer(socket, message);
            }
            var consumed = (int)reader.Consumed;
            pending.AsSpan(consumed, length - consumed).CopyTo(pending);
            length -= consumed;
        }
    }

    private void Answer(Socket socket, RtmpMessage message)
    {
        switch (message.TypeId)
        {
            case RtmpMessageType.Acknowledgement: Received.Enqueue("ack"); return;
            case RtmpMessageType.WindowAcknowledgementSize: Received.Enqueue("window"); return;
            case RtmpMessageType.UserControl:
                var type = BinaryPrimitives.ReadUInt16BigEndian(message.Payload.Span);
                Received.Enqueue(type == UserControlEvent.PingResponse ? "pong" : $"user-control-{type}");
                return;
            case RtmpMessageType.Amf0Command:
                break;
            default:
                Received.Enqueue($"type-{message.TypeId}");
                return;
        }
        var command = RtmpCommands.Decode(message);
        Received.Enqueue(command.Name);
        var writer = new ChunkWriter();
        switch (command.Name, _behaviour)
        {
            case ("connect", FakeRtmpBehaviour.ConnectError):
                Reply(writer, "_error", command.Transaction, "NetConnection.Connect.Rejected");
                break;
            case ("connect", _):
                writer.Control(RtmpMessageType.WindowAcknowledgementSize, 1000);  // small: the client must acknowledge
                writer.Control(RtmpMessageType.SetPeerBandwidth, 5_000_000);
                Reply(writer, "_result", command.Transaction, "NetConnection.Connect.Success");
                break;
            case ("createStream", FakeRtmpBehaviour.CreateStreamError):
                Reply(writer, "_error", command.Transaction, "NetConnection.Call.Failed");
                break;
            case ("createStream", _):
                Reply(writer, "_result", command.Transaction, null, streamId: 1);
                break;
            case ("play", _):
                WritePlay(writer);
                break;
        }
        socket.Send(writer.Pending.Span);
    }

    private static void Reply(ChunkWriter writer, string name, double transaction, string? code, double streamId = 0)
    {
        var payload = writer.BeginMessage();
        Amf0Writer.WriteString(payload, name);
        Amf0Writer.WriteNumber(payload, transaction);
        Amf0Writer.WriteNull(payload);
        if (code is null)
        {
            Amf0Writer.WriteNumber(payload, streamId);
        }
        else
        {
            Amf0Writer.WriteObjectStart(payload);
            Amf0Writer.WritePropertyName(payload, "level");
            Amf0Writer.WriteString(payload, name == "_error" ? "error" : "status");
            Amf0Writer.WritePropertyName(payload, "code");
            Amf0Writer.WriteString(payload, code);
            Amf0Writer.WriteObjectEnd(payload);
        }
        writer.EndMessage(RtmpChunkStream.Command, RtmpMessageType.Amf0Command, 0);
    }

    /// <summary>onStatus Play.Start, a ping, the media (in 128-byte chunks), then StreamEOF.</summary>
    private static void WritePlay(ChunkWriter writer)
    {
        writer.UserControl(UserControlEvent.StreamBegin, 1);
        var payload = writer.BeginMessage();
        Amf0Writer.WriteString(payload, "onStatus");
        Amf0Writer.WriteNumber(payload, 0);
        Amf0Writer.WriteNull(payload);
        Amf0Writer.WriteObjectStart(payload);
        Amf0Writer.WritePropertyName(payload, "code");
        Amf0Writer.WriteString(payload, "NetStream.Play.Start");
        Amf0Writer.WriteObjectEnd(payload);
        writer.EndMessage(5, RtmpMessageType.Amf0Command, 1);
        writer.UserControl(UserControlEvent.PingRequest, 12345);
        for (var i = 0; i < KeyFrames + InterFrames; i++)
        {
            Media(writer, 6, RtmpMessageType.Video, VideoSize, i < KeyFrames ? (byte)0x17 : (byte)0x27);
        }
        for (var i = 0; i < AudioMessages; i++)
        {
            Media(writer, 4, RtmpMessageType.Audio, AudioSize, 0xAF);
        }
        writer.UserControl(UserControlEvent.StreamEof, 1);
    }

    private static void Media(ChunkWriter writer, int chunkStream, byte type, int size, byte first)
    {
        var payload = writer.BeginMessage();
        var span = payload.GetSpan(size)[..size];
        span.Fill(0x55);
        span[0] = first;
        payload.Advance(size);
        writer.EndMessage(chunkStream, type, 1);
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var got = 0; got < count;)
        {
            var read = socket.Receive(buffer.AsSpan(got));
            got += read > 0 ? read : throw new IOException($"the client closed after {got} of {count} bytes");
        }
        return buffer;
    }

    private static void Drain(Socket socket)
    {
        var buffer = new byte[4096];
        while (socket.Receive(buffer) > 0)
        {
        }
    }
}
