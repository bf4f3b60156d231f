using PerfTest.Executor.Scripting.Variables;

namespace PerfTest.Executor.Scripting;

/// <summary>
/// A case compiled for running: setup cards (once per VU), the iteration's cards, its request cards,
/// and the global variables its references draw from (null when none were given).
/// </summary>
public sealed record CompiledScript(
    IReadOnlyList<ICard> Setup,
    IReadOnlyList<ICard> Main,
    IReadOnlyList<RequestCardInfo> Requests,
    int ConnectionSlots,
    IGlobalVariables? Globals = null);

/// <summary>A request card as the report names it: key, name, method and URL.</summary>
public sealed record RequestCardInfo(int Key, string Name, string Method, string Url)
{
    /// <summary>The "name#METHOD#URL" form of content_method_url.</summary>
    public string MethodUrl => $"{Name}#{Method}#{Url}";
}
