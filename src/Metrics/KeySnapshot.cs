using System.Diagnostics.CodeAnalysis;
using PerfTest.Protocols;

namespace PerfTest.Metrics;

/// <summary>
/// What one key (a request card, or -1 for the whole case) recorded over some time on some
/// executors. Plain data: it travels over gRPC and is persisted; <see cref="MetricAggregate"/>
/// merges any number of them. Latencies are microseconds.
/// </summary>
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Wire DTO mapped 1:1 to protobuf repeated fields.")]
public sealed class KeySnapshot
{
    /// <summary>The key of the whole case (all request cards together).</summary>
    public const int CaseKey = -1;

    /// <summary>1xx..5xx.</summary>
    public const int StatusClassCount = 5;

    public int Key { get; set; }

    public long Requests { get; set; }

    /// <summary>Length <see cref="RequestResult.OutcomeCount"/>, indexed by <c>(int)Outcome</c>.</summary>
    public long[] Outcomes { get; set; } = new long[RequestResult.OutcomeCount];

    /// <summary>Length 5: index <c>status / 100 - 1</c>; status codes outside 100..599 (e.g. 0 for non-HTTP) are not counted.</summary>
    public long[] StatusClasses { get; set; } = new long[StatusClassCount];

    public long BytesSent { get; set; }

    public long BytesReceived { get; set; }

    /// <summary>0 when <see cref="Requests"/> is 0.</summary>
    public long MinMicros { get; set; }

    public long MaxMicros { get; set; }

    /// <summary>Exact sum of the (clamped) latencies, so the mean is exact, not histogram-rounded.</summary>
    public long SumMicros { get; set; }

    /// <summary>Compressed HdrHistogram encoding (<see cref="LatencyHistogram.Encode"/>); empty when Requests is 0.</summary>
    public byte[] Histogram { get; set; } = [];

    /// <summary>What the key's streaming plays did; null when the key had no plays (HTTP and socket cards).</summary>
    public StreamingSnapshot? Streaming { get; set; }
}
