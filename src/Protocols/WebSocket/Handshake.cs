using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.WebSocket;

/// <summary>The end of an opening handshake: Success, or the outcome of the exchange that needed it.</summary>
internal readonly record struct HandshakeResult(Outcome Outcome, int StatusCode, long BytesSent, long BytesReceived);

/// <summary>
/// The opening handshake (RFC 6455 4.1): an HTTP/1.1 GET with Upgrade, encoded by the HTTP client's
/// <see cref="RequestEncoder"/> and answered through its <see cref="ResponseParser"/>. Runs once per
/// connection, so it is a plain (allocating) async method.
/// </summary>
internal static class Handshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // Ours win: a card must not break the upgrade by sending its own.
    private static readonly string[] s_reserved = ["Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"];

    public static async Task<HandshakeResult> RunAsync(ConnectionStream connection, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers,
        WebSocketCapture? capture, CancellationToken timeout)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        byte[] request = Encode(url, headers, key);
        await connection.Writer.WriteAsync(request, timeout).ConfigureAwait(false);

        var parser = new ResponseParser();
        var head = new HttpResponseCapture();
        parser.Reset(isHeadRequest: false, head);
        while (true)
        {
            ReadResult read = await connection.Reader.ReadAsync(timeout).ConfigureAwait(false);
            ParseStatus status = parser.Parse(read.Buffer, out SequencePosition consumed);
            // Frames the server sent right after its 101 stay in the pipe for the first exchange.
            connection.Reader.AdvanceTo(consumed, status == ParseStatus.NeedMoreData ? read.Buffer.End : consumed);
            if (status == ParseStatus.Done || status == ParseStatus.Error || (read.IsCompleted && status == ParseStatus.NeedMoreData))
            {
                if (capture is not null)
                {
                    capture.HandshakeStatusCode = parser.StatusCode;
                }

                Outcome outcome = status switch
                {
                    ParseStatus.Done => IsAccepted(head, key) ? Outcome.Success : Outcome.ParseFailed,
                    ParseStatus.Error => Outcome.ParseFailed,
                    _ => parser.BytesConsumed == 0 ? Outcome.Refused : Outcome.Other,  // closed before or during the answer
                };
                return new HandshakeResult(outcome, parser.StatusCode, request.Length, parser.BytesConsumed);
            }
        }
    }

    /// <summary>Throws ArgumentException for headers the encoder rejects, when the connection is created rather than at connect.</summary>
    public static void Validate(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers) => Encode(url, headers, "dGhlIHNhbXBsZSBub25jZQ==");

#pragma warning disable CA5350 // RFC 6455 4.2.2 fixes SHA-1 for the accept value; it proves the upgrade, it protects nothing.
    public static string ExpectedAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350

    private static byte[] Encode(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, string key)
    {
        List<KeyValuePair<string, string>> all =
        [
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Key", key),
            new("Sec-WebSocket-Version", "13"),
        ];
        all.AddRange(headers.Where(h => !s_reserved.Contains(h.Key, StringComparer.OrdinalIgnoreCase)));
        return RequestEncoder.Encode("GET", url, all, default, out _);
    }

    /// <summary>101, Upgrade: websocket, Connection: upgrade and the accept value for our key (RFC 6455 4.1, client steps 1-4).</summary>
    private static bool IsAccepted(HttpResponseCapture head, string key) =>
        head.StatusCode == 101
        && HasToken(head, "Upgrade", "websocket")
        && HasToken(head, "Connection", "upgrade")
        && head.Headers.Any(h => Is(h.Key, "Sec-WebSocket-Accept") && h.Value.Trim() == ExpectedAccept(key));

    private static bool HasToken(HttpResponseCapture head, string name, string token) =>
        head.Headers.Any(h => Is(h.Key, name) && h.Value.Split(',').Any(v => Is(v.Trim(), token)));

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
