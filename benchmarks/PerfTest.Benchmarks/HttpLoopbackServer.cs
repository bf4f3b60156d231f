using System.Net;
using System.Net.Sockets;

namespace PerfTest.Benchmarks;

/// <summary>
/// A minimal keep-alive responder on 127.0.0.1:0 for the round-trip benchmark: one thread per connection,
/// synchronous socket calls, preallocated buffers, so it allocates nothing and adds no managed noise to
/// what the benchmark measures. Requests are recognised by their "\r\n\r\n" end (GET only).
/// </summary>
internal sealed class HttpLoopbackServer : IDisposable
{
    private readonly byte[] _response;
    private readonly LoopbackListener _listener;

    public HttpLoopbackServer(byte[] response)
    {
        _response = response;
        _listener = new LoopbackListener(Serve);
    }

    public int Port => _listener.Port;

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
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
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                {
                    int length = end + 4;
                    Buffer.BlockCopy(buffer, length, buffer, 0, filled - length);
                    filled -= length;
                    socket.Send(_response);
                }
            }
        }
        catch (Exception)
        {
            // client gone
        }
    }
}
