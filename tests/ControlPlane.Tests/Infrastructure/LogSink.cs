using Microsoft.Extensions.Logging;

namespace PerfTest.ControlPlane.Tests.Infrastructure;

/// <summary>A logger provider that keeps every message ("level category: message", then the exception if any) in a <see cref="LineLog"/>.</summary>
public sealed class LogSink : ILoggerProvider
{
    public LineLog Log { get; } = new();

    public ILogger CreateLogger(string categoryName) => new SinkLogger(Log, categoryName);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(LineLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
