using System.Text;
using PerfTest.Executor.Contract;
using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting.Templating;

/// <summary>
/// The body of a packet card: body_type 0 (string: the strings of <c>bodys</c>, or their <c>value</c>,
/// concatenated), 1 (form-data) or 3 (x-www-form-urlencoded) with <c>bodys</c> as <c>[{"key","value"}]</c>.
/// References may appear in the string body and in form field values.
/// </summary>
public sealed class BodyTemplate
{
    private const string Boundary = "----PerfTestFormBoundary7MA4YWxkTrZu0gW";
    private readonly int _bodyType;
    private readonly TextTemplate _text;
    private readonly KeyValuePair<string, TextTemplate>[] _fields;

    private BodyTemplate(int bodyType, TextTemplate text, KeyValuePair<string, TextTemplate>[] fields)
    {
        _bodyType = bodyType;
        _text = text;
        _fields = fields;
    }

    /// <summary>The Content-Type the body needs (added unless the card sets one), null for a string body.</summary>
    public string? ContentType => _bodyType switch
    {
        1 => "multipart/form-data; boundary=" + Boundary,
        3 => "application/x-www-form-urlencoded",
        _ => null,
    };

    /// <summary>Each text that may hold references, with the JSON path that names it (below <paramref name="path"/>).</summary>
    public IEnumerable<(TextTemplate Text, string Path)> Parts(string path) =>
        _bodyType == 0 ? [(_text, path + ".bodys")] : _fields.Select((f, i) => (f.Value, $"{path}.bodys[{i}].value"));

    /// <summary>The body of a plan's request (bodys read by Planning.PacketReader).</summary>
    public static BodyTemplate From(HttpPacket request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bodyType = (int)request.BodyType;
        return bodyType == 0
            ? new BodyTemplate(0, TextTemplate.Parse(request.Body), [])
            : new BodyTemplate(bodyType, TextTemplate.Parse(""),
                [.. request.FormFields.Select(f => new KeyValuePair<string, TextTemplate>(f.Name, TextTemplate.Parse(f.Value)))]);
    }

    public byte[] Render(IVariableResolver variables)
    {
        switch (_bodyType)
        {
            case 0:
                return Encoding.UTF8.GetBytes(_text.Render(variables));
            case 3:
                var pairs = _fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value.Render(variables)));
                return Encoding.UTF8.GetBytes(string.Join('&', pairs));
            default:
                var sb = new StringBuilder();
                foreach (var (key, value) in _fields)
                {
                    sb.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(key)
                      .Append("\"\r\n\r\n").Append(value.Render(variables)).Append("\r\n");
                }
                sb.Append("--").Append(Boundary).Append("--\r\n");
                return Encoding.UTF8.GetBytes(sb.ToString());
        }
    }
}
