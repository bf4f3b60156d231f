using HdrHistogram;
using PerfTest.Protocols;
using PerfTest.Protocols.Streaming;

namespace PerfTest.Metrics;

/// <summary>
/// Per-run, per-executor recorder. Many VU threads call <see cref="Record"/>; one ticker calls
/// <see cref="Rotate"/> every second.
/// </summary>
/// <remarks>
/// All keys of an interval live in one array ("generation") swapped as a whole, and a single
/// <see cref="WriterPhaser"/> (the mechanism behind HdrHistogram's Recorder) tells Rotate when
/// the last writer has left the retired generation. So Record takes no lock and never loses a
/// value to a swap, and every snapshot covers exactly the same requests for all keys.
/// The case aggregate (key -1) is derived at rotation by merging the keys' counters and histograms:
/// the result is identical to recording every request twice, at half the atomic operations on the hot path.
/// </remarks>
public sealed class RunRecorder
{
    private readonly WriterPhaser _phaser = new();
    private readonly Lock _rotateLock = new();
    private readonly LongHistogram _caseHistogram = LatencyHistogram.CreateForMerging();
    private KeyInterval[] _active;
    private KeyInterval[] _spare;
    private int _virtualUsers;
    // What the retired generations held; only changed under _rotateLock.
    private RecorderTotals _rotated;

    public RunRecorder(int keyCount)
        : this(keyCount, keyCount)
    {
    }

    /// <param name="keyCount">All keys: request cards first, then transactions.</param>
    /// <param name="caseKeyCount">The first keys, the request cards, make the case aggregate (key -1); the keys
    /// after them (transactions, timed around requests already counted) do not.</param>
    public RunRecorder(int keyCount, int caseKeyCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(caseKeyCount, keyCount);
        KeyCount = keyCount;
        CaseKeyCount = caseKeyCount;
        _active = NewGeneration(keyCount);
        _spare = NewGeneration(keyCount);
    }

    /// <summary>Keys 0..KeyCount-1: the request cards of the plan, then its transactions.</summary>
    public int KeyCount { get; }

    /// <summary>Keys 0..CaseKeyCount-1 (the request cards) make up the case aggregate.</summary>
    public int CaseKeyCount { get; }

    /// <summary>Hot path: lock-free and allocation-free. Latencies outside 1 µs..1 h are clamped to that range.</summary>
    public void Record(int key, long latencyMicros, in RequestResult result)
    {
        if ((uint)key >= (uint)KeyCount)
        {
            ThrowKeyOutOfRange(key);
        }

        long value = LatencyHistogram.Clamp(latencyMicros);
        long phase = _phaser.Enter();
        try
        {
            Volatile.Read(ref _active)[key].Record(value, result);
        }
        finally
        {
            _phaser.Exit(phase);
        }
    }

    /// <summary>
    /// Records one streaming play (HLS, RTMP, HTTP-FLV): as a request of <paramref name="key"/> exactly as
    /// <see cref="Record"/> does (outcome of the play, no status code, the play's wire bytes), plus its streaming
    /// counters in the key's <see cref="KeySnapshot.Streaming"/>. Both land in the same interval: a play is never
    /// split or counted twice across a rotation. Takes a short lock per key; plays are far rarer than requests.
    /// </summary>
    public void RecordPlay(int key, long latencyMicros, StreamPlayResult play)
    {
        ArgumentNullException.ThrowIfNull(play);
        if ((uint)key >= (uint)KeyCount)
        {
            ThrowKeyOutOfRange(key);
        }

        var result = new RequestResult(play.Outcome, 0, play.BytesSent, play.BytesReceived);
        long value = LatencyHistogram.Clamp(latencyMicros);
        long phase = _phaser.Enter();
        try
        {
            var interval = Volatile.Read(ref _active)[key];
            interval.Record(value, result);
            interval.RecordPlay(play);
        }
        finally
        {
            _phaser.Exit(phase);
        }
    }

    /// <summary>
    /// Requests, successes and latency recorded since the recorder started (all keys). Differences of
    /// two readings give a window (a second, a step). Read-side only: the rotated generations' sums plus
    /// the live generation's counters, so <see cref="Record"/> pays nothing for it. A request being
    /// recorded during the reading may show in one counter before the other; the next reading has it whole.
    /// </summary>
    public RecorderTotals Totals
    {
        get
        {
            lock (_rotateLock)
            {
                return _rotated + Sum(Volatile.Read(ref _active));
            }
        }
    }

    /// <summary>Live VU gauge; the value at rotation time goes into the snapshot.</summary>
    public void SetVirtualUsers(int count) => Volatile.Write(ref _virtualUsers, count);

    /// <summary>Returns everything recorded since the previous Rotate and starts a fresh interval.
    /// Safe to call from any thread; concurrent calls are serialised.</summary>
    public IntervalSnapshot Rotate(long unixSecond)
    {
        lock (_rotateLock)
        {
            var retired = Interlocked.Exchange(ref _active, _spare);

            // Waits until every writer that might have seen `retired` has finished with it.
            _phaser.Flip();
            _rotated += Sum(retired);

            _caseHistogram.Reset();
            var caseSnapshot = new KeySnapshot { Key = KeySnapshot.CaseKey };
            var keys = new List<KeySnapshot>(retired.Length + 1) { caseSnapshot };
            for (int key = 0; key < retired.Length; key++)
            {
                var interval = retired[key];
                var keySnapshot = interval.ToSnapshot(key);
                if (keySnapshot.Requests > 0)
                {
                    keySnapshot.Histogram = LatencyHistogram.Encode(interval.Histogram);
                    if (key < CaseKeyCount)
                    {
                        _caseHistogram.Add(interval.Histogram);
                        AddCounters(caseSnapshot, keySnapshot);
                    }
                }

                keys.Add(keySnapshot);
                interval.Reset();
            }

            caseSnapshot.Histogram = LatencyHistogram.Encode(_caseHistogram);
            var snapshot = new IntervalSnapshot
            {
                UnixSecond = unixSecond,
                VirtualUsers = Volatile.Read(ref _virtualUsers),
                Keys = keys,
            };
            _spare = retired;
            return snapshot;
        }
    }

    private static void AddCounters(KeySnapshot total, KeySnapshot part)
    {
        total.MinMicros = total.Requests == 0 ? part.MinMicros : Math.Min(total.MinMicros, part.MinMicros);
        total.MaxMicros = Math.Max(total.MaxMicros, part.MaxMicros);
        total.Requests += part.Requests;
        total.SumMicros += part.SumMicros;
        total.BytesSent += part.BytesSent;
        total.BytesReceived += part.BytesReceived;
        for (int i = 0; i < total.Outcomes.Length; i++)
        {
            total.Outcomes[i] += part.Outcomes[i];
        }

        for (int i = 0; i < total.StatusClasses.Length; i++)
        {
            total.StatusClasses[i] += part.StatusClasses[i];
        }

        if (part.Streaming is { } streaming)
        {
            (total.Streaming ??= new StreamingSnapshot()).Add(streaming);
        }
    }

    private static RecorderTotals Sum(KeyInterval[] generation)
    {
        var sum = default(RecorderTotals);
        foreach (var interval in generation)
        {
            sum += interval.Totals;
        }

        return sum;
    }

    private static KeyInterval[] NewGeneration(int keyCount)
    {
        var generation = new KeyInterval[keyCount];
        for (int i = 0; i < keyCount; i++)
        {
            generation[i] = new KeyInterval();
        }

        return generation;
    }

    // Kept out of Record so the hot path stays small and inlinable.
    private static void ThrowKeyOutOfRange(int key) =>
        throw new ArgumentOutOfRangeException(nameof(key), key, "Key must be a request card or transaction index of the plan.");
}
