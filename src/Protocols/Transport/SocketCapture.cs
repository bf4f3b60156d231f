namespace PerfTest.Protocols.Transport;

/// <summary>
/// The answer of a TCP or UDP exchange as received, for checkpoints and extraction on debug runs. Filling it
/// allocates (the array), which is why it is optional: load runs pass null and the client only counts bytes.
/// </summary>
public sealed class SocketCapture
{
    private readonly CappedBuffer _buffer = new();

#pragma warning disable CA1051, CA1819 // a plain data holder by design, like HttpResponseCapture
    /// <summary>Every byte received for the exchange, in order (also on failures: what came before the end).</summary>
    public byte[] Response = [];

    /// <summary>How many receives made the answer: TCP reads or UDP datagrams.</summary>
    public int Receives;

    /// <summary>At most this many bytes are kept, cut while receiving: the rest is counted, never buffered.</summary>
    public int MaxBytes = int.MaxValue;

    /// <summary>How many bytes arrived, kept or not; more than <see cref="Response"/> holds when it was cut.</summary>
    public long BytesSeen;
#pragma warning restore CA1051, CA1819

    internal void Clear()
    {
        _buffer.Clear(MaxBytes);
        Response = [];
        Receives = 0;
        BytesSeen = 0;
    }

    internal void Append(ReadOnlySpan<byte> received)
    {
        _buffer.Append(received);
        Receives++;
    }

    internal void Complete()
    {
        Response = _buffer.ToArray();
        BytesSeen = _buffer.Seen;
    }
}
