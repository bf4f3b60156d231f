using System.Globalization;

namespace PerfTest.Executor.Scripting.Variables;

/// <summary>variable_type 1: every integer from <c>Min</c> to <c>Max</c> inclusive. Computed per draw rather than
/// materialised, because a range such as [1, 100000000] would otherwise cost gigabytes of strings.</summary>
internal sealed class IntegerRangeSource : IValueSource
{
    public IntegerRangeSource(long min, long max)
    {
        // The parser checks this with a message naming the field; this guards other callers.
        if (min > max || (ulong)(max - min) >= long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(max), $"[{min}, {max}] is not a range of at most {long.MaxValue} integers");
        }
        Min = min;
        Max = max;
    }

    public long Min { get; }

    public long Max { get; }

    public long Count => Max - Min + 1;

    public string this[long position] => (Min + position).ToString(CultureInfo.InvariantCulture);
}
