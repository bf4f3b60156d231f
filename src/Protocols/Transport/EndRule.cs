namespace PerfTest.Protocols.Transport;

/// <summary>When an answer is complete: the card's check_end_type.</summary>
public enum EndKind : byte
{
    /// <summary>No check_end_type: the answer is what the first receive returns (TCP: one read; UDP: one datagram).</summary>
    FirstReceive = 0,

    /// <summary>check_end_type 1: at least check_end_length bytes received.</summary>
    Length = 1,

    /// <summary>check_end_type 2: check_end_str received (it may span reads or datagrams).</summary>
    EndString = 2,
}

/// <summary>
/// A compiled end rule: the end string comes with its KMP failure table, so matching across reads needs
/// one int of state and looks at each byte once.
/// </summary>
internal sealed class EndRule
{
    private readonly byte[] _end;
    private readonly int[] _fallback;  // KMP: the longest proper prefix of _end[..i+1] that is also its suffix

    private EndRule(EndKind kind, int length, byte[] end)
    {
        Kind = kind;
        Length = length;
        _end = end;
        _fallback = BuildFallback(end);
    }

    public EndKind Kind { get; }

    public int Length { get; }

    public static EndRule FirstReceive { get; } = new(EndKind.FirstReceive, 0, []);

    public static EndRule ForLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new EndRule(EndKind.Length, length, []);
    }

    public static EndRule ForEndString(byte[] end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (end.Length == 0)
        {
            throw new ArgumentException("The end string must not be empty.", nameof(end));
        }

        return new EndRule(EndKind.EndString, 0, end);
    }

    /// <summary>
    /// Feeds one receive to the rule. <paramref name="matched"/> (start at 0) carries the end string's
    /// matched prefix from one receive to the next; <paramref name="total"/> is the answer's length so far,
    /// this receive included.
    /// </summary>
    /// <returns>True when the answer is complete.</returns>
    public bool IsComplete(ReadOnlySpan<byte> received, long total, ref int matched)
    {
        switch (Kind)
        {
            case EndKind.Length:
                return total >= Length;
            case EndKind.EndString:
                return Match(received, ref matched);
            default:
                return true;
        }
    }

    private bool Match(ReadOnlySpan<byte> received, ref int matched)
    {
        int state = matched;
        foreach (byte b in received)
        {
            while (state > 0 && _end[state] != b)
            {
                state = _fallback[state - 1];
            }

            if (_end[state] == b && ++state == _end.Length)
            {
                matched = 0;
                return true;
            }
        }

        matched = state;
        return false;
    }

    private static int[] BuildFallback(byte[] end)
    {
        int[] fallback = new int[end.Length];
        int state = 0;
        for (int i = 1; i < end.Length; i++)
        {
            while (state > 0 && end[i] != end[state])
            {
                state = fallback[state - 1];
            }

            if (end[i] == end[state])
            {
                state++;
            }

            fallback[i] = state;
        }

        return fallback;
    }
}
