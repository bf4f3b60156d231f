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
#pragma warning restore CA1051, CA1002, CA1819

    /// <summary>Forget a previous response (also an interim 1xx one) before a new status line.</summary>
    internal void Clear()
    {
        StatusLine = null;
        Headers.Clear();
        Body = [];
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

/// <summary>Collects the decoded body for a capture; reused by the connection across debug requests.</summary>
internal sealed class BodySink : IBodySink
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void Clear() => _buffer.ResetWrittenCount();

    public void Append(in ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            _buffer.Write(segment.Span);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
