using System.Reflection;
using System.Security.Cryptography;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>One file of the console: its bytes and the Content-Type it is served with.</summary>
public sealed record ConsoleAsset(string Name, byte[] Content, string ContentType)
{
    /// <summary>A strong validator of the content: with <c>Cache-Control: no-cache</c> a browser revalidates and gets 304.</summary>
    public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(Content))[..32] + "\"";
}

/// <summary>
/// Where the console's files come from. The control plane serves the ones embedded in its assembly
/// (<see cref="EmbeddedConsoleAssets"/>); tests may register another source before the host does.
/// </summary>
public interface IConsoleAssets
{
    /// <summary>The file named <paramref name="name"/> (e.g. <c>index.html</c>), or null when there is none.</summary>
    ConsoleAsset? Find(string name);
}

/// <summary>
/// The resources named <c>console/{file}</c> in the control plane's assembly (the web build embeds them), read once:
/// they never change while the process runs, and a page polls every second.
/// </summary>
public sealed class EmbeddedConsoleAssets : IConsoleAssets
{
    public const string Prefix = "console/";

    private readonly Dictionary<string, ConsoleAsset> _assets;

    public EmbeddedConsoleAssets() : this(typeof(EmbeddedConsoleAssets).Assembly)
    {
    }

    public EmbeddedConsoleAssets(Assembly assembly)
    {
        _assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[Prefix.Length..];
            _assets[name] = new ConsoleAsset(name, copy.ToArray(), ContentTypes.Of(name));
        }
    }

    public ConsoleAsset? Find(string name) => _assets.GetValueOrDefault(name);
}

/// <summary>The Content-Type of a console file by its extension; the console holds only these kinds.</summary>
public static class ContentTypes
{
    public static string Of(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
