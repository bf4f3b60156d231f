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
    IGlobalVariables? Globals = null,
    IReadOnlyList<TransactionInfo>? Transactions = null)
{
    /// <summary>The case's transactions; their metric keys follow the request cards'.</summary>
    public IReadOnlyList<TransactionInfo> TransactionList => Transactions ?? [];

    /// <summary>Every metric key: request cards, then transactions.</summary>
    public int KeyCount => Requests.Count + TransactionList.Count;
}

/// <summary>A transaction as the report names it: its metric key, id and name.</summary>
public sealed record TransactionInfo(int Key, long Id, string Name)
{
    /// <summary>How the control plane lists it after the requests' "name#METHOD#URL": "name#TRANSACTION#id".</summary>
    public string MethodUrl => $"{Name}#{Method}#{Id}";

    public const string Method = "TRANSACTION";
}

/// <summary>A request card as the report names it: key, name, method and URL.</summary>
public sealed record RequestCardInfo(int Key, string Name, string Method, string Url)
{
    /// <summary>The "name#METHOD#URL" form of content_method_url.</summary>
    public string MethodUrl => $"{Name}#{Method}#{Url}";
}
