namespace PerfTest.Executor.Load;

/// <summary>A closed-model shape (concurrency modes): how many VUs loop at a given moment of the stage.</summary>
public interface IConcurrencyShape
{
    int UsersAt(TimeSpan elapsed);
}

/// <summary>An open-model shape (TPS modes): how many iterations start per second, on at most MaxUsers VUs.</summary>
public interface IArrivalShape
{
    double RateAt(TimeSpan elapsed);
    int MaxUsers { get; }
}
