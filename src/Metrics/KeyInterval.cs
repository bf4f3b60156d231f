using HdrHistogram;
using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Metrics;

/// <summary>
/// What one key recorded during the current interval on this executor. Written concurrently by
/// many VU threads with atomic adds only (no locks, no allocation); read and reset by
/// <see cref="RunRecorder.Rotate"/> only after it has been swapped out and every writer has left it.
/// </summary>
internal sealed class KeyInterval
{
    // One flat array so a key's counters sit together in memory.
    private const int RequestsSlot = 0;
    private const int OutcomeSlot = 1;
    private const int StatusClassSlot = OutcomeSlot + RequestResult.OutcomeCount;
    private const int BytesSentSlot = StatusClassSlot + KeySnapshot.StatusClassCount;
    private const int BytesReceivedSlot = BytesSentSlot + 1;
    private const int SumSlot = BytesReceivedSlot + 1;
    private const int MinSlot = SumSlot + 1;
    private const int MaxSlot = MinSlot + 1;
    private const int SlotCount = MaxSlot + 1;

    private readonly long[] _slots = new long[SlotCount];

    // Streaming plays are rare (one per seconds-long play), so they take a lock and the first play of an interval
    // creates the counters; requests recorded by Record never touch either.
    private readonly Lock _streamingLock = new();
    private StreamingSnapshot? _streaming;

    public KeyInterval()
    {
        Reset();
    }

    public AtomicIntHistogram Histogram { get; } = LatencyHistogram.CreateForRecording();

    public long Requests => _slots[RequestsSlot];

    /// <summary>Live counters; may be read while writers record (each counter is read atomically).</summary>
    public RecorderTotals Totals => new(
        Volatile.Read(ref _slots[RequestsSlot]),
        Volatile.Read(ref _slots[OutcomeSlot + (int)Outcome.Success]),
        Volatile.Read(ref _slots[SumSlot]));

    /// <summary><paramref name="latencyMicros"/> must already be clamped to the histogram range.</summary>
    public void Record(long latencyMicros, in RequestResult result)
    {
        var slots = _slots;
        Interlocked.Increment(ref slots[RequestsSlot]);

        // An out-of-range enum value (cast from a wider int somewhere) is counted as Other, not dropped.
        int outcome = (int)result.Outcome;
        if ((uint)outcome >= RequestResult.OutcomeCount)
        {
            outcome = (int)Outcome.Other;
        }

        Interlocked.Increment(ref slots[OutcomeSlot + outcome]);

        int statusClass = (result.StatusCode / 100) - 1;
        if ((uint)statusClass < KeySnapshot.StatusClassCount)
        {
            Interlocked.Increment(ref slots[StatusClassSlot + statusClass]);
        }

        if (result.BytesSent != 0)
        {
            Interlocked.Add(ref slots[BytesSentSlot], result.BytesSent);
        }

        if (result.BytesReceived != 0)
        {
            Interlocked.Add(ref slots[BytesReceivedSlot], result.BytesReceived);
        }

        Interlocked.Add(ref slots[SumSlot], latencyMicros);
        LowerTo(ref slots[MinSlot], latencyMicros);
        RaiseTo(ref slots[MaxSlot], latencyMicros);
        Histogram.RecordValue(latencyMicros);
    }

    /// <summary>Adds a play's streaming counters; the caller records the play as a request with <see cref="Record"/>.</summary>
    public void RecordPlay(StreamPlayResult play)
    {
        lock (_streamingLock)
        {
            (_streaming ??= new StreamingSnapshot()).AddPlay(play);
        }
    }

    /// <summary>Copies the counters into a snapshot (histogram bytes are filled by the caller).</summary>
    public KeySnapshot ToSnapshot(int key)
    {
        var slots = _slots;
        long requests = slots[RequestsSlot];
        return new KeySnapshot
        {
            Key = key,
            Requests = requests,
            Outcomes = slots.AsSpan(OutcomeSlot, RequestResult.OutcomeCount).ToArray(),
            StatusClasses = slots.AsSpan(StatusClassSlot, KeySnapshot.StatusClassCount).ToArray(),
            BytesSent = slots[BytesSentSlot],
            BytesReceived = slots[BytesReceivedSlot],
            SumMicros = slots[SumSlot],
            MinMicros = requests == 0 ? 0 : slots[MinSlot],
            MaxMicros = requests == 0 ? 0 : slots[MaxSlot],

            // Handed over, not copied: Reset drops this interval's reference, so the next play starts a new one.
            Streaming = _streaming,
        };
    }

    public void Reset()
    {
        Array.Clear(_slots);
        _slots[MinSlot] = long.MaxValue;
        _streaming = null;
        Histogram.Reset();
    }

    // CAS loops only retry while this value still improves the extreme, so contention is rare.
    private static void LowerTo(ref long target, long value)
    {
        long current = Volatile.Read(ref target);
        while (value < current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void RaiseTo(ref long target, long value)
    {
        long current = Volatile.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
