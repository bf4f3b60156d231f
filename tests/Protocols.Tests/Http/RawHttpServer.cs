using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PerfTest.Protocols.Tests.Http;

internal enum RawMode
{
    /// <summary>Answer every request with the canned bytes and keep the connection.</summary>
    Respond,

    /// <summary>Answer, then close the connection (although the answer did not say Connection: close).</summary>
    RespondThenClose,

    /// <summary>Read requests, never answer.</summary>
    NeverRespond,

    /// <summary>Close as soon as a request arrived, without answering.</summary>
    CloseOnRequest,
}

/// <summary>
/// A raw HTTP/1.1 responder on 127.0.0.1:0: one thread per connection, synchronous socket calls and
/// preallocated buffers, so in the steady state it allocates nothing (the allocation test relies on that)
/// and it counts exactly the bytes that crossed the socket.
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly byte[] _response;
    private readonly RawMode _mode;
    private readonly int _writeSize;
    private readonly SemaphoreSlim _closedSignal = new(0);
    private long _bytesReceived;
    private long _bytesSent;

    /// <param name="response">The bytes of the answer (the same one to every request).</param>
    /// <param name="mode">When to answer and when to close.</param>
    /// <param name="writeSize">Send the response in pieces of this size (1 = byte by byte).</param>
    public RawHttpServer(string response, RawMode mode = RawMode.Respond, int writeSize = int.MaxValue)
        : this(Encoding.ASCII.GetBytes(response), mode, writeSize)
    {
    }

    public RawHttpServer(byte[] response, RawMode mode = RawMode.Respond, int writeSize = int.MaxValue)
    {
        _response = response;
        _mode = mode;
        _writeSize = writeSize;
        _listener = new LoopbackListener("raw-http", Serve);
    }

    public int Port => _listener.Port;

    public int Connections => _listener.Connections;

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public Uri Url(string pathAndQuery = "/") => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    /// <summary>Waits until the server accepted one more connection (a hang guard, not a timing assertion).</summary>
    public Task<bool> NextAcceptAsync() => _listener.NextAcceptAsync();

    /// <summary>Waits until the server closed one connection after answering.</summary>
    public Task<bool> NextCloseAsync() => _closedSignal.WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket)
    {
        byte[] buffer = new byte[256 * 1024];
        int filled = 0;
        try
        {
            while (true)
            {
                int read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int length;
                while ((length = RequestLength(buffer.AsSpan(0, filled))) > 0)
                {
                    Interlocked.Add(ref _bytesReceived, length);
                    Buffer.BlockCopy(buffer, length, buffer, 0, filled - length);
                    filled -= length;
                    if (_mode == RawMode.NeverRespond)
                    {
                        continue;
                    }

                    if (_mode == RawMode.CloseOnRequest)
                    {
                        socket.Close();
                        _closedSignal.Release();
                        return;
                    }

                    Interlocked.Add(ref _bytesSent, _response.Length);
                    for (int offset = 0; offset < _response.Length; offset += _writeSize)
                    {
                        socket.Send(_response, offset, Math.Min(_writeSize, _response.Length - offset), SocketFlags.None);
                    }

                    if (_mode == RawMode.RespondThenClose)
                    {
                        socket.Close();
                        _closedSignal.Release();
                        return;
                    }
                }
            }
        }
        catch (Exception)
        {
            // Client went away or the server was disposed.
        }
    }

    /// <summary>Length of the first complete request in <paramref name="data"/> (head + Content-Length body), or 0.</summary>
    private static int RequestLength(ReadOnlySpan<byte> data)
    {
        int end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return 0;
        }

        ReadOnlySpan<byte> head = data[..end];
        long body = 0;
        while (!head.IsEmpty)
        {
            int crlf = head.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = crlf < 0 ? head : head[..crlf];
            if (line.Length > 15 && Ascii.EqualsIgnoreCase(line[..15], "content-length:"u8))
            {
                if (!Utf8Parser.TryParse(line[15..].Trim((byte)' '), out body, out _))
                {
                    body = 0;
                }
            }

            head = crlf < 0 ? default : head[(crlf + 2)..];
        }

        long total = end + 4 + body;
        return data.Length >= total ? (int)total : 0;
    }
}
