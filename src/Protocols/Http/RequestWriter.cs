using System.Buffers;

namespace PerfTest.Protocols.Http;

/// <summary>
/// Puts a template on a buffer writer. The template already holds the exact wire bytes, so this is a copy and
/// allocates nothing. (The HTTP client itself hands those bytes straight to the socket.)
/// </summary>
internal static class RequestWriter
{
    /// <summary>Copies without flushing (the benchmarks).</summary>
    public static int Write(IBufferWriter<byte> writer, HttpRequestTemplate request)
    {
        ReadOnlySpan<byte> bytes = request.Encoded.Span;
        writer.Write(bytes);
        return bytes.Length;
    }
}
