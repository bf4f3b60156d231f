using System.Buffers;
using System.IO.Pipelines;

namespace PerfTest.Protocols.Http;

/// <summary>
/// Puts a template on a pipe. The template already holds the exact wire bytes, so this is a copy
/// (for a <c>StreamPipeWriter</c> with nothing buffered, <c>WriteAsync</c> even hands the bytes straight
/// to the stream) and allocates nothing.
/// </summary>
internal static class RequestWriter
{
    /// <summary>Copies and flushes; completes synchronously when the socket accepts the bytes at once.</summary>
    public static ValueTask<FlushResult> WriteAsync(PipeWriter writer, HttpRequestTemplate request, CancellationToken cancellationToken) =>
        writer.WriteAsync(request.Encoded, cancellationToken);

    /// <summary>Copies without flushing (callers that batch, and the benchmarks).</summary>
    public static int Write(IBufferWriter<byte> writer, HttpRequestTemplate request)
    {
        ReadOnlySpan<byte> bytes = request.Encoded.Span;
        writer.Write(bytes);
        return bytes.Length;
    }
}
