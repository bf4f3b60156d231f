using System.Buffers;

namespace PerfTest.Protocols.Transport;

/// <summary>
/// The answer of a TCP or UDP exchange as received, for checkpoints and extraction on debug runs. Filling it
/// allocates (the array), which is why it is optional: load runs pass null and the client only counts bytes.
/// </summary>
public sealed class SocketCapture
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

#pragma warning disable CA1051, CA1819 // a plain data holder by design, like HttpResponseCapture
    /// <summary>Every byte received for the exchange, in order (also on failures: what came before the end).</summary>
    public byte[] Response = [];

    /// <summary>How many receives made the answer: TCP reads or UDP datagrams.</summary>
    public int Receives;
#pragma warning restore CA1051, CA1819

    internal void Clear()
    {
        _buffer.ResetWrittenCount();
        Response = [];
        Receives = 0;
    }

    internal void Append(ReadOnlySpan<byte> received)
    {
        _buffer.Write(received);
        Receives++;
    }

    internal void Complete() => Response = _buffer.WrittenSpan.ToArray();
}
