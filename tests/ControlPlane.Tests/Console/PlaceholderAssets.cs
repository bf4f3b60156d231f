using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PerfTest.ControlPlane.WebConsole;

namespace PerfTest.ControlPlane.Tests.Console;

/// <summary>
/// Stand-ins for the console's files (the web build embeds the real ones): what is served and inlined is checked
/// byte for byte, whatever the real pages hold. Each file's text names it, and report.js holds a closing script tag
/// in a string, as a minified library may.
/// </summary>
internal sealed class PlaceholderAssets : IConsoleAssets
{
    public static readonly Dictionary<string, string> Files = new()
    {
        ["index.html"] = "<!DOCTYPE html><html><head><script src=\"console/console.js\"></script></head><body>placeholder index</body></html>",
        ["console.js"] = "/* placeholder console.js */",
        ["report.js"] = "/* placeholder report.js */ window.PerfTestReport = { renderStandalone() { return '</script>'; } };",
        ["console.css"] = "/* placeholder console.css */ body { margin: 0 }",
        ["uPlot.iife.min.js"] = "/* placeholder uPlot.iife.min.js */",
        ["uPlot.min.css"] = "/* placeholder uPlot.min.css */",
    };

    public ConsoleAsset? Find(string name) =>
        Files.TryGetValue(name, out var text) ? new ConsoleAsset(name, Encoding.UTF8.GetBytes(text), ContentTypes.Of(name)) : null;

    /// <summary>Registers the placeholders in place of the embedded files (ControlPlaneServer's services callback).</summary>
    public static void Register(IServiceCollection services) => services.AddSingleton<IConsoleAssets, PlaceholderAssets>();
}
