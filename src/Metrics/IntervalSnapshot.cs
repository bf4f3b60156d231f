using System.Diagnostics.CodeAnalysis;

namespace PerfTest.Metrics;

/// <summary>One second of one executor, as returned by <see cref="RunRecorder.Rotate"/>.</summary>
public sealed class IntervalSnapshot
{
    public long UnixSecond { get; set; }

    /// <summary>Live virtual users at rotation time (a gauge: last value set wins).</summary>
    public int VirtualUsers { get; set; }

    /// <summary>From <see cref="RunRecorder"/>: the case (key -1) first, then every key 0..keyCount-1 in order, idle keys included.</summary>
    [SuppressMessage("Design", "CA1002:Do not expose generic lists", Justification = "Wire DTO; the lead maps it to protobuf.")]
    [SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "Wire DTO; settable for mapping from protobuf.")]
    public List<KeySnapshot> Keys { get; set; } = [];

    /// <summary>The snapshot of <paramref name="key"/>, or null when absent.</summary>
    public KeySnapshot? FindKey(int key)
    {
        foreach (var snapshot in Keys)
        {
            if (snapshot.Key == key)
            {
                return snapshot;
            }
        }

        return null;
    }
}
