using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;

namespace PerfTest.Executor.Load;

/// <summary>
/// A stage's load shape (<see cref="LoadShapes.For"/>): either a closed-model <see cref="IConcurrencyShape"/> or an
/// open-model <see cref="IArrivalShape"/>. Each of the two runs itself under its model's runner, so a caller needs no
/// cast; a type that implemented both would not compile (two implementations of <see cref="RunAsync"/>).
/// </summary>
public interface ILoadShape
{
    /// <summary>Runs a stage of this shape until <see cref="StageContext.Drain"/> is cancelled or its iterations are spent.</summary>
    Task RunAsync(StageContext context);
}

/// <summary>A closed-model shape (concurrency modes): how many VUs loop at a given moment of the stage.</summary>
public interface IConcurrencyShape : ILoadShape
{
    int UsersAt(TimeSpan elapsed);

    Task ILoadShape.RunAsync(StageContext context) => ClosedModelRunner.RunAsync(context, this);
}

/// <summary>An open-model shape (TPS modes): how many iterations start per second, on at most MaxUsers VUs.</summary>
public interface IArrivalShape : ILoadShape
{
    double RateAt(TimeSpan elapsed);
    int MaxUsers { get; }

    Task ILoadShape.RunAsync(StageContext context) => OpenModelRunner.RunAsync(context, this);
}

/// <summary>
/// A concurrency shape defined by the whole stage's VUs (all executors together); this executor
/// runs its <see cref="Share"/> of that total, so the executors' VUs add up to the curve at every moment.
/// </summary>
public abstract class ConcurrencyCurve(StageSpec stage) : IConcurrencyShape
{
    protected StageSpec Stage { get; } = stage;

    /// <summary>The whole stage's VUs at <paramref name="elapsed"/>.</summary>
    public abstract int TotalAt(TimeSpan elapsed);

    public int UsersAt(TimeSpan elapsed) => (int)Stage.ShareOf(TotalAt(elapsed));

    /// <summary>A curve value to whole VUs: a VU starts once a whole one is due (the epsilon absorbs float error).</summary>
    protected static int WholeUsers(double users) => (int)Math.Floor(users + 1e-9);
}

/// <summary>
/// An arrival shape defined by the whole stage's rate; this executor starts its share of it
/// (<see cref="StageSpec.ShareOfRate"/>).
/// </summary>
public abstract class ArrivalCurve(StageSpec stage, double peakTotalRate) : IArrivalShape
{
    /// <summary>The most VUs an executor may keep busy when issue_num does not say.</summary>
    public const int UserCap = 10_000;

    protected StageSpec Stage { get; } = stage;

    /// <summary>The whole stage's iterations per second at <paramref name="elapsed"/>.</summary>
    public abstract double TotalRateAt(TimeSpan elapsed);

    public double RateAt(TimeSpan elapsed) => Stage.ShareOfRate(TotalRateAt(elapsed));

    /// <summary>
    /// issue_num's share when given (at least one VU, or a share of 0 would stall the schedule);
    /// otherwise ten VUs per iteration per second of the peak share, capped for safety. Read live from the stage's
    /// place: an executor that takes a larger share after a reshare may keep more VUs busy.
    /// </summary>
    public int MaxUsers => Stage.IssueNum > 0
        ? (int)Math.Max(1, Stage.ShareOf(Stage.IssueNum))
        : (int)Math.Clamp(Math.Ceiling(Stage.ShareOfRate(peakTotalRate)) * 10, 1, UserCap);
}
