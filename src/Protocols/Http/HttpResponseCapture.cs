using System.Buffers;
using System.Text;

namespace PerfTest.Protocols.Http;

/// <summary>
/// The whole response, for debug runs (a card "try-run"). Filling it allocates strings and arrays,
/// which is why it is optional: load runs pass null and the parser only counts bytes.
/// </summary>
public sealed class HttpResponseCapture
{
#pragma warning disable CA1051, CA1002, CA1819 // a plain data holder by design: the public shape is part of the contract
    public string? StatusLine;
    public List<KeyValuePair<string, string>> Headers = new();
    public byte[] Body = [];
    public int StatusCode;

    /// <summary>At most this many body bytes are kept, cut while reading: the rest is counted, never buffered.</summary>
    public int MaxBodyBytes = int.MaxValue;

    /// <summary>How many body bytes arrived, kept or not; more than <see cref="Body"/> holds when it was cut.</summary>
    public long BodyBytesSeen;
#pragma warning restore CA1051, CA1002, CA1819

    /// <summary>Whether the body was longer than <see cref="MaxBodyBytes"/> and <see cref="Body"/> is its beginning.</summary>
    public bool BodyCut => BodyBytesSeen > Body.Length;

    /// <summary>Forget a previous response (also an interim 1xx one) before a new status line.</summary>
    internal void Clear()
    {
        StatusLine = null;
        Headers.Clear();
        Body = [];
        BodyBytesSeen = 0;
        StatusCode = 0;
    }

    // Header bytes are Latin-1 on the wire (RFC 9110 5.5); decoding as Latin-1 never fails.
    internal void SetStatusLine(ReadOnlySpan<byte> line, int statusCode)
    {
        StatusLine = Encoding.Latin1.GetString(line);
        StatusCode = statusCode;
    }

    internal void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Headers.Add(new(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
}

/// <summary>
/// Where decoded body bytes go when a caller wants them: a capture's copy, or a streaming consumer
/// (<see cref="ResponseParser.ParseBody"/>). The bytes are only valid during the call.
/// </summary>
internal interface IBodySink
{
    void Append(in ReadOnlySequence<byte> data);
}

/// <summary>Collects the decoded body for a capture, up to its cap; reused by the connection across debug requests.</summary>
internal sealed class BodySink : IBodySink
{
    private readonly CappedBuffer _buffer = new();

    public long Seen => _buffer.Seen;

    public void Clear(int maxBytes) => _buffer.Clear(maxBytes);

    public void Append(in ReadOnlySequence<byte> data) => _buffer.Append(data);

    public byte[] ToArray() => _buffer.ToArray();
}
