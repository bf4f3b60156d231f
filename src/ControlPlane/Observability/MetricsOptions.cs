namespace PerfTest.ControlPlane.Observability;

/// <summary>Section "Metrics": where /metrics answers and how long a case run's series stay (docs/observability.md).</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// A port of its own for /metrics: then /metrics answers only there, and that port answers nothing else. None
    /// (null): /metrics answers on the API's addresses.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The address <see cref="Port"/> listens on: the host of the first Urls entry when empty (0.0.0.0 for a pod).</summary>
    public string Host { get; set; } = "";

    /// <summary>How long a case run's series stay after it ended, so the last scrapes see its final counts.</summary>
    public int RetainEndedSeconds { get; set; } = 300;

    /// <summary>The URL Kestrel binds for <see cref="Port"/>, or null.</summary>
    /// <param name="urls">The API's addresses (Urls).</param>
    public string? ListenUrl(string? urls)
    {
        if (Port is not { } port)
        {
            return null;
        }
        var host = Host;
        if (host.Length == 0)
        {
            var first = (urls ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            host = Microsoft.AspNetCore.Http.BindingAddress.Parse(first).Host;
        }
        return $"http://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}";
    }
}
