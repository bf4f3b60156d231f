namespace PerfTest.Executor.Scripting;

/// <summary>One step of a case script, run by a virtual user. One small type per card kind.</summary>
public interface ICard
{
    ValueTask ExecuteAsync(VirtualUser vu, CancellationToken cancellationToken);
}
