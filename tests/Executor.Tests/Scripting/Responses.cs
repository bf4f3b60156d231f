using PerfTest.Executor.Scripting.Responses;
using PerfTest.Executor.Scripting.Variables;
using PerfTest.Protocols.Http;

namespace PerfTest.Executor.Tests.Scripting;

/// <summary>Test data: captured responses and global variables.</summary>
internal static class Responses
{
    public const string Json = """{"data":{"items":[{"id":42,"name":"first"}],"ok":true,"none":null},"n":"7.5"}""";

    public static HttpResponseCapture Capture(int status = 200, string body = Json, params (string Name, string Value)[] headers)
    {
        var capture = new HttpResponseCapture { StatusCode = status, Body = System.Text.Encoding.UTF8.GetBytes(body) };
        capture.Headers.AddRange(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return capture;
    }

    public static ResponseView View(int status = 200, string body = Json) => new(Capture(status, body, ("X-Token", "abc123"), ("Set-Cookie", "a=1")));
}

/// <summary>Global variables that count their draws: value i of "name" is "name-i".</summary>
internal sealed class CountingGlobals(params string[] names) : IGlobalVariables
{
    private int _draws;

    public int Draws => _draws;

    public bool Contains(string name) => names.Contains(name);

    public string Next(string name) => $"{name}-{Interlocked.Increment(ref _draws)}";
}
