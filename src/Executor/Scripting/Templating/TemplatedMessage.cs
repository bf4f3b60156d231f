using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting.Templating;

/// <summary>
/// The message of a TCP, UDP, WebSocket or MQTT card, from one or more texts that may hold <c>${name}</c> references
/// (payload; MQTT also its topic). Without references it is built once, at compile time, and every exchange sends
/// that one object (allocation-free); with references it is built per exchange from the rendered texts.
/// </summary>
public sealed class TemplatedMessage<T>
    where T : class
{
    private readonly TextTemplate?[]? _texts;
    private readonly Func<string?[], T>? _build;

    internal TemplatedMessage(T preview, TextTemplate?[]? texts, Func<string?[], T>? build)
    {
        Preview = preview;
        _texts = texts;
        _build = build;
    }

    /// <summary>The message itself when no text has references; else one built with each reference rendered as "0".</summary>
    public T Preview { get; }

    public bool HasReferences => _texts is not null;

    /// <summary>The message for one exchange; null when the rendered texts make no valid message (nothing is sent then).</summary>
    public T? Render(IVariableResolver variables)
    {
        return _texts is null ? Preview : Build(_texts, variables);
    }

    // Apart from Render: the lambda's closure over 'variables' would be allocated on entry to Render, on every exchange,
    // even for a message without references.
    private T? Build(TextTemplate?[] texts, IVariableResolver variables)
    {
        try
        {
            return _build!(texts.Select(t => t?.Render(variables)).ToArray());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>Compiles a <see cref="TemplatedMessage{T}"/>.</summary>
public static class TemplatedMessage
{
    /// <summary>
    /// Parses the texts (null ones stay null), checks that each reference is known at this point of the script,
    /// and builds the message once to validate the rest. Throws a <see cref="ScriptException"/> naming the field.
    /// </summary>
    /// <param name="parts">Each text and the JSON path of its field, e.g. contents[0].content[1].content.bodys[0].</param>
    /// <param name="cardPath">The card's content path, for the error when the texts make no valid message.</param>
    /// <param name="build">Makes the message from the texts; throws ArgumentException or FormatException when they are no valid message.</param>
    /// <param name="isKnown">Whether a referenced name is a variable at this point of the script.</param>
    public static TemplatedMessage<T> Compile<T>(IReadOnlyList<(string? Text, string Path)> parts, string cardPath, Func<string?[], T> build, Func<string, bool> isKnown)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(isKnown);
        var texts = parts.Select(p => p.Text is null ? null : TextTemplate.Parse(p.Text)).ToArray();
        for (var i = 0; i < parts.Count; i++)
        {
            if (texts[i]?.Names.FirstOrDefault(n => !isKnown(n)) is { } unknown)
            {
                throw new ScriptException($"{parts[i].Path} references ${{{unknown}}}, which is neither extracted by an earlier card nor a global variable");
            }
        }
        var templated = texts.Any(t => t?.HasReferences == true);
        T preview;
        try
        {
            preview = build(texts.Select(t => t is null ? null : templated ? t.Render(PlaceholderVariables.Instance) : t.Text).ToArray());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ScriptException($"{cardPath}: {e.Message}");
        }
        return new TemplatedMessage<T>(preview, templated ? texts : null, templated ? build : null);
    }
}

/// <summary>Renders every reference as "0": the preview that validates a templated card at compile time.</summary>
internal sealed class PlaceholderVariables : IVariableResolver
{
    public static readonly PlaceholderVariables Instance = new();

    public string Resolve(string name) => "0";
}
