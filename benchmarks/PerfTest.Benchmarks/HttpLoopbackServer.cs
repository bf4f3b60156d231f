using System.Net.Sockets;

namespace PerfTest.Benchmarks;

/// <summary>
/// A minimal keep-alive responder on 127.0.0.1:0 for the round-trip benchmark: one thread per connection,
/// synchronous socket calls, preallocated buffers, so it allocates nothing and adds no managed noise to
/// what the benchmark measures. Requests are recognised by their "\r\n\r\n" end (GET only).
/// </summary>
internal sealed class HttpLoopbackServer : PerfTest.Protocols.Tests.ThreadPerConnectionServer
{
    private readonly byte[] _response;

    public HttpLoopbackServer(byte[] response)
    {
        _response = response;
        Start();
    }

    protected override void Serve(Socket socket)
    {
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
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
}
