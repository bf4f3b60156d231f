using System.Text.RegularExpressions;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Checks;
using PerfTest.Executor.Scripting.Extraction;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Scripting.Responses;

/// <summary>
/// The checkpoint and extraction cards that follow a packet card, folded into it at compile time and
/// applied to each of its responses before the request is recorded.
/// </summary>
public sealed class ResponseRules
{
    private readonly List<Checks.Checkpoint> _checkpoints = [];
    private readonly List<Extractor> _extractors = [];

    public IReadOnlyList<Checks.Checkpoint> Checkpoints => _checkpoints;

    public IReadOnlyList<Extractor> Extractors => _extractors;

    /// <summary>Whether a rule reads the status or a header, which only HTTP answers have.</summary>
    public bool ReadsHttpHead => _checkpoints.Exists(c => c.Checks.Any(k => IsHead(k.Source))) || _extractors.Exists(e => IsHead(e.Source));

    private static bool IsHead(ValueSource source) => source is ValueSource.Status or ValueSource.Header;

    /// <summary>No rule: the card needs no capture of its responses.</summary>
    public bool IsEmpty => _checkpoints.Count == 0 && _extractors.Count == 0;

    internal void Add(Checks.Checkpoint checkpoint) => _checkpoints.Add(checkpoint);

    internal void AddRange(IEnumerable<Extractor> extractors) => _extractors.AddRange(extractors);

    /// <summary>
    /// Runs the extractions (storing what they find in <paramref name="variables"/>) then the checks on a
    /// response that arrived whole (outcome Success, or CheckpointFailed for its status). The outcome becomes
    /// CheckpointFailed when a checkpoint fails, else ParseFailed when an extraction finds nothing and has no
    /// default; any other outcome (no response) is returned as it is, and nothing is extracted.
    /// A regex that runs past its match timeout fails its check or extraction, and a debug run's
    /// <paramref name="debug"/> log says so.
    /// </summary>
    public RequestResult Apply(in RequestResult result, HttpResponseCapture capture, VariableScope variables, Debugging.DebugLog? debug = null)
    {
        using var view = new ResponseView(capture);
        return Apply(result, view, variables, debug);
    }

    /// <summary>As above, on any protocol's answer (<see cref="ResponseView.OfBody"/> for TCP, UDP, WebSocket).</summary>
    public RequestResult Apply(in RequestResult result, ResponseView view, VariableScope variables, Debugging.DebugLog? debug = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(view);
        if (result.Outcome is not (Outcome.Success or Outcome.CheckpointFailed))
        {
            return result;
        }
        var extracted = true;
        foreach (var extractor in _extractors)
        {
            var value = Guard(() => extractor.Extract(view), null, debug, $"extraction {extractor.Name}");
            if (value is null)
            {
                extracted = false;
            }
            else
            {
                variables.Set(extractor.Name, value);
            }
        }
        if (result.Outcome == Outcome.CheckpointFailed || _checkpoints.Exists(c => !Guard(() => c.Passes(view), false, debug, "checkpoint")))
        {
            return result with { Outcome = Outcome.CheckpointFailed };
        }
        return extracted ? result : result with { Outcome = Outcome.ParseFailed };
    }

    // A regex that runs past its match timeout fails its check or extraction: the budget bounds the time
    // one response can hold a VU, whatever the pattern and the body.
    private static T Guard<T>(Func<T> evaluate, T onTimeout, Debugging.DebugLog? debug, string what)
    {
        try
        {
            return evaluate();
        }
        catch (RegexMatchTimeoutException e)
        {
            debug?.Note($"the regex '{e.Pattern}' of a {what} ran past its match timeout of " +
                $"{e.MatchTimeout.TotalMilliseconds} ms (regex timeout), so the {what} failed");
            return onTimeout;
        }
    }
}
