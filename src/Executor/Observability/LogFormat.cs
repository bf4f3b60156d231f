using System.Text.Json;

namespace PerfTest.Executor.Observability;

/// <summary>
/// How the control plane and the standalone executor log (docs/observability.md): plain console text by default;
/// <c>Logging:Format=json</c> makes every line one JSON object with its scopes (a run's <c>task_run_id</c> and
/// <c>case_run_id</c>). ASP.NET Core's per-request <c>info</c> lines are off unless configuration names that category.
/// </summary>
public static class LogFormat
{
    public const string FormatKey = "Logging:Format";

    /// <summary>The category whose per-request lines are Warning and above unless configured (even with no appsettings.json).</summary>
    public const string AspNetCore = "Microsoft.AspNetCore";

    /// <exception cref="InvalidOperationException">Logging:Format is neither "text" nor "json".</exception>
    public static void Configure(ILoggingBuilder logging, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(config);
        if (config[$"Logging:LogLevel:{AspNetCore}"] is null)
        {
            logging.AddFilter(AspNetCore, LogLevel.Warning);
        }
        switch (config[FormatKey]?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                return;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                    o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
                });
                return;
            default:
                throw new InvalidOperationException($"{FormatKey} is '{config[FormatKey]}': use text (the default) or json");
        }
    }

    /// <summary>The scope of everything a task run logs (its case runs add theirs): <c>{"task_run_id": 12}</c> in JSON.</summary>
    public static IDisposable? TaskRunScope(ILogger logger, long taskRunId) => logger.BeginScope(new IdScope("task_run_id", taskRunId));

    /// <summary>The scope of everything a case run logs, inside its task run's: <c>{"case_run_id": 34}</c>.</summary>
    public static IDisposable? CaseRunScope(ILogger logger, long caseRunId) => logger.BeginScope(new IdScope("case_run_id", caseRunId));

    /// <summary>One named id: the JSON formatter writes its pair as a property, and ToString as the scope's "Message".</summary>
    private sealed class IdScope(string name, long id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new(name, id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{name}={id}";
    }
}
