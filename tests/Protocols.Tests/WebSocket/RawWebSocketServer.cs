using System.Net.Sockets;
using System.Text;
using PerfTest.Protocols.WebSocket;

namespace PerfTest.Protocols.Tests.WebSocket;

/// <summary>
/// A WebSocket echo server on 127.0.0.1:0 that allocates nothing per message (one thread per connection,
/// synchronous socket calls, preallocated buffers), so GC.GetTotalAllocatedBytes and the benchmarks see
/// only the client. Also linked into the benchmarks project. Messages are single unfragmented frames.
/// </summary>
public sealed class RawWebSocketServer : ThreadPerConnectionServer
{
    public RawWebSocketServer() => Start();

    public Uri Url => new($"ws://127.0.0.1:{Port}/echo");

    protected override void Serve(Socket socket)
    {
        byte[] input = new byte[64 * 1024];
        byte[] output = new byte[64 * 1024];
        int filled = Upgrade(socket, input);
        while (true)
        {
            int used;
            while ((used = EchoFrame(input.AsSpan(0, filled), output, out int answer)) > 0)
            {
                socket.Send(output, answer, SocketFlags.None);
                Buffer.BlockCopy(input, used, input, 0, filled - used);
                filled -= used;
            }

            int read = socket.Receive(input, filled, input.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                return;
            }

            filled += read;
        }
    }

    /// <summary>Reads the handshake request, answers 101; returns how many bytes after it are already buffered.</summary>
    private static int Upgrade(Socket socket, byte[] input)
    {
        int filled = 0;
        int end;
        while ((end = input.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += socket.Receive(input, filled, input.Length - filled, SocketFlags.None);
        }

        string head = Encoding.ASCII.GetString(input, 0, end);
        string key = head.Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))[18..].Trim();
        socket.Send(Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {Handshake.ExpectedAccept(key)}\r\n\r\n"));
        Buffer.BlockCopy(input, end + 4, input, 0, filled - end - 4);
        return filled - end - 4;
    }

    /// <summary>Unmasks one complete client frame into an unmasked server frame; returns the input bytes used (0: incomplete).</summary>
    private static int EchoFrame(ReadOnlySpan<byte> input, byte[] output, out int answer)
    {
        answer = 0;
        if (input.Length < 2)
        {
            return 0;
        }

        int length = input[1] & 0x7F;
        int header = 2;
        if (length == 126)
        {
            if (input.Length < 4)
            {
                return 0;
            }

            length = (input[2] << 8) | input[3];
            header = 4;
        }

        if (input.Length < header + 4 + length)
        {
            return 0;
        }

        ReadOnlySpan<byte> mask = input.Slice(header, 4);
        output[0] = input[0];
        output[1] = (byte)(header == 2 ? length : 126);
        if (header == 4)
        {
            output[2] = (byte)(length >> 8);
            output[3] = (byte)length;
        }

        for (int i = 0; i < length; i++)
        {
            output[header + i] = (byte)(input[header + 4 + i] ^ mask[i & 3]);
        }

        answer = header + length;
        return header + 4 + length;
    }
}
