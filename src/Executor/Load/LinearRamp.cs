namespace PerfTest.Executor.Load;

/// <summary>From <c>from</c> to <c>to</c> linearly over <c>seconds</c>, then <c>to</c>; no ramp when seconds is 0.</summary>
public readonly record struct LinearRamp(double From, double To, int Seconds)
{
    public double At(TimeSpan elapsed) =>
        Seconds <= 0 || elapsed.TotalSeconds >= Seconds ? To : From + (To - From) * elapsed.TotalSeconds / Seconds;
}
