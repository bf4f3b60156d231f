using PerfTest.Protocols.Transport;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// What caps the connections a standalone executor opens: it installs Executor:SourceAddresses for the process at start
/// (and removes them at stop), logs the open files limit, and warns when a connection failed for want of a file
/// descriptor (EMFILE): then the limit, not the target, is what the run measures.
/// </summary>
/// <remarks>
/// Each connection is one descriptor. The .NET runtime already raises the soft RLIMIT_NOFILE to the hard limit when it
/// starts, so the hard limit (ulimit -Hn; LimitNOFILE in systemd; the container runtime's nofile) is the cap.
/// </remarks>
internal sealed class OutgoingConnections(SourceAddresses? sources, ILogger<OutgoingConnections> logger, TimeProvider time)
    : IHostedService
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _lastWarning = long.MinValue;
    private int _suppressed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (sources is not null)
        {
            SourceAddresses.Current = sources;
            logger.LogInformation("New connections are bound to {Count} source addresses in turn ({First} ... {Last})",
                sources.Addresses.Count, sources.Addresses[0], sources.Addresses[^1]);
        }
        if (OpenFilesLimit() is { } limit)
        {
            logger.LogInformation("Open files limit {Limit}: at most about {Connections} concurrent connections", limit, Math.Max(0, limit - 1000));
        }
        Descriptors.Exhausted += OnDescriptorsExhausted;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Descriptors.Exhausted -= OnDescriptorsExhausted;
        if (sources is not null && ReferenceEquals(SourceAddresses.Current, sources))
        {
            SourceAddresses.Current = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>One warning, then at most one per <see cref="WarningInterval"/> with the count of those left out.</summary>
    internal void OnDescriptorsExhausted()
    {
        int suppressed;
        lock (_gate)
        {
            long now = time.GetTimestamp();
            if (_lastWarning != long.MinValue && time.GetElapsedTime(_lastWarning, now) < WarningInterval)
            {
                _suppressed++;
                return;
            }
            _lastWarning = now;
            suppressed = _suppressed;
            _suppressed = 0;
        }
        logger.LogWarning("A connection failed: the executor ran out of file descriptors (EMFILE; open files limit {Limit}, " +
            "{Suppressed} more since the last warning). Raise the hard limit (ulimit -Hn, LimitNOFILE, the container's nofile) " +
            "or spread the VUs over more executors", OpenFilesLimit()?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", suppressed);
    }

    /// <summary>The soft RLIMIT_NOFILE from /proc/self/limits; null where there is none (not Linux).</summary>
    internal static long? OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
