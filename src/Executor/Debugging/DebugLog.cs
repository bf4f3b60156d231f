using System.Text;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Scripting;
using PerfTest.Protocols;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Debugging;

/// <summary>
/// The exchanges of a debug run, in the order its one VU ran them: every packet card's answer as the run's report
/// would count it, and for HTTP cards the request sent and the response received. A VU with a log
/// (<see cref="VirtualUser.Debug"/>) reports to it from the same place it records a request.
/// </summary>
public sealed class DebugLog(IReadOnlyList<MetricKey> keys, int maxCaptureBytes = DebugLog.DefaultMaxCaptureBytes)
{
    /// <summary>Bodies are cut here (characters) so one large answer cannot flood the reply.</summary>
    public const int MaxBodyChars = 64 * 1024;

    /// <summary>The cap of a capture when the control plane names none.</summary>
    public const int DefaultMaxCaptureBytes = 1024 * 1024;

    /// <summary>
    /// At most this many bytes of each answer are kept while it is read (HTTP body, TCP/UDP answer, WebSocket
    /// messages); checks and extractions of a debug run see only those.
    /// </summary>
    public int MaxCaptureBytes { get; } = maxCaptureBytes > 0 ? maxCaptureBytes : DefaultMaxCaptureBytes;

    private DebugExchange? _http;
    private string? _unsendable;
    private string? _note;

    public List<DebugExchange> Exchanges { get; } = [];

    /// <summary>What an HTTP card sent and got back; the next <see cref="Record"/> of its key completes it.</summary>
    public void Http(BuiltRequest sent, HttpResponseCapture received)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(received);
        var exchange = new DebugExchange
        {
            RequestLine = $"{sent.Template.Method} {sent.Template.Url}",
            RequestBody = Text(sent.Body),
            ResponseBody = Text(received.Body),
            ResponseBodyBytes = received.BodyBytesSeen,
            ResponseBodyCut = received.BodyCut,
            Status = received.StatusLine is { } line && line.IndexOf(' ', StringComparison.Ordinal) is var sp and > 0 ? line[(sp + 1)..] : "",
        };
        exchange.RequestHeaders.Add(new DebugHeader { Name = "Host", Value = sent.Template.Url.Authority });
        exchange.RequestHeaders.AddRange(sent.Headers.Select(h => new DebugHeader { Name = h.Key, Value = h.Value }));
        exchange.ResponseHeaders.AddRange(received.Headers.Select(h => new DebugHeader { Name = h.Key, Value = h.Value }));
        _http = exchange;
    }

    /// <summary>An HTTP card whose rendered variables made no valid request: nothing was sent, and this is why.</summary>
    public void Unsendable(string reason) => _unsendable = reason;

    /// <summary>Something the next <see cref="Record"/> adds to its error reason (a check whose regex timed out).</summary>
    public void Note(string note) => _note = _note is null ? note : _note + "; " + note;

    /// <summary>The target policy refused the next card's target (<paramref name="reason"/>: what and why): nothing was sent.</summary>
    public void Refused(string reason) => _unsendable = $"refused by the target policy: {reason}";

    /// <summary>One answer of a packet card (<paramref name="key"/> a request key; transactions are not exchanges).</summary>
    public void Record(int key, long micros, Outcome outcome, int statusCode)
    {
        if (key < 0 || key >= keys.Count || keys[key].Kind != MetricKeyKind.Request)
        {
            return;
        }
        var card = keys[key];
        var exchange = _http ?? new DebugExchange { RequestLine = $"{card.Method} {card.Url}" };
        exchange.Card = card;
        exchange.Success = outcome == Outcome.Success;
        exchange.ErrorReason = outcome == Outcome.Success ? "" : _unsendable ?? Reason(card, outcome, statusCode);
        if (_note is not null && outcome != Outcome.Success)
        {
            exchange.ErrorReason += ": " + _note;
        }
        (_http, _unsendable, _note) = (null, null, null);
        exchange.ResponseTimeMs = micros / 1000;
        Exchanges.Add(exchange);
    }

    private static string Reason(MetricKey card, Outcome outcome, int statusCode) => card.Protocol is "HTTP" or "HTTPS"
        ? outcome switch
        {
            Outcome.CheckpointFailed => statusCode is >= 200 and < 400 ? "a checkpoint failed" : $"status code {statusCode} is not 2xx or 3xx",
            Outcome.ParseFailed => "the response could not be parsed as HTTP/1.1, or an extraction found nothing",
            Outcome.Refused => "the connection was refused or reset",
            Outcome.Timeout => "the connection or the response timed out",
            _ => "the request failed (DNS, TLS, connection closed, or a rendered request that is not valid)",
        }
        : outcome switch
        {
            Outcome.CheckpointFailed => "a checkpoint failed, or the server refused the exchange (MQTT reason code, RTMP or HTTP-FLV play refused)",
            Outcome.ParseFailed => "the answer did not end as the card's end rule says, could not be parsed, or an extraction found nothing",
            Outcome.Refused => "the connection was refused or reset",
            Outcome.Timeout => "the connection or the answer timed out",
            _ => "the exchange failed (DNS, TLS, connection closed, or a rendered message that is not valid)",
        };

    private static string Text(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + "...";
    }
}
