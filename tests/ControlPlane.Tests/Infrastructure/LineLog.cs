namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>Lines as something writes them (log messages, a process's output), and waits for a line that matches.</summary>
public sealed class LineLog
{
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first line that matches, already written or the next one to be.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match)
    {
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult(line);
            }
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task;
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
