namespace PerfTest.Executor.Scripting.Variables;

/// <summary>The values of one variable, addressed by position 0 .. Count - 1. Immutable, so any number of
/// threads read it without locking; cursors decide which position a draw takes.</summary>
internal interface IValueSource
{
    long Count { get; }

    string this[long position] { get; }
}
