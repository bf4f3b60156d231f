using System.Text;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting.Templating;

/// <summary>
/// A text with <c>${name}</c> references, parsed once into literal and variable segments so that
/// rendering is a concatenation. A name is one or more of <c>A-Z a-z 0-9 _ - .</c>; a <c>${</c> not
/// followed by such a name and <c>}</c> is literal text.
/// </summary>
public sealed class TextTemplate
{
    // Literals[i] comes before Names[i]; the last literal follows the last name.
    private readonly string[] _literals;
    private readonly string[] _names;

    private TextTemplate(string text, string[] literals, string[] names)
    {
        Text = text;
        _literals = literals;
        _names = names;
    }

    /// <summary>The text as written, references unrendered.</summary>
    public string Text { get; }

    public bool HasReferences => _names.Length > 0;

    /// <summary>The referenced names, in order of appearance (repeats included).</summary>
    public IReadOnlyList<string> Names => _names;

    public static TextTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var literals = new List<string>();
        var names = new List<string>();
        var literalStart = 0;
        var at = text.IndexOf("${", StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + 2;
            while (end < text.Length && IsNameChar(text[end]))
            {
                end++;
            }
            if (end > at + 2 && end < text.Length && text[end] == '}')
            {
                literals.Add(text[literalStart..at]);
                names.Add(text[(at + 2)..end]);
                literalStart = end + 1;
                at = text.IndexOf("${", literalStart, StringComparison.Ordinal);
            }
            else
            {
                at = text.IndexOf("${", at + 2, StringComparison.Ordinal);
            }
        }
        literals.Add(text[literalStart..]);
        return new TextTemplate(text, [.. literals], [.. names]);
    }

    public static bool IsName(string name) => name.Length > 0 && name.All(IsNameChar);

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    public string Render(IVariableResolver variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (_names.Length == 0)
        {
            return Text;
        }
        var sb = new StringBuilder(Text.Length + 16);
        for (var i = 0; i < _names.Length; i++)
        {
            sb.Append(_literals[i]).Append(variables.Resolve(_names[i]));
        }
        return sb.Append(_literals[^1]).ToString();
    }
}
