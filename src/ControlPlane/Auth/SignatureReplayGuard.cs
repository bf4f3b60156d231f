using PerfTest.ControlPlane.Api;

namespace PerfTest.ControlPlane.Auth;

/// <summary>
/// Remembers the signatures of the state-changing signed requests this replica accepted, each until its
/// <c>X-Sdk-Date</c> leaves the clock-skew window (after that the date check refuses it anyway), so that the
/// same request sent again is refused. The set is bounded by <see cref="AuthOptions.MaxRememberedSignatures"/>:
/// when full it refuses new requests instead of forgetting a signature that could then be replayed.
/// Memory only: another replica does not see these signatures.
/// </summary>
public sealed class SignatureReplayGuard(AuthOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();

    /// <summary>Whether the method changes state, so that sending it twice is not harmless.</summary>
    public static bool ChangesState(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPatch(method);

    /// <summary>Records <paramref name="signature"/>, signed at <paramref name="signedAt"/>.</summary>
    /// <exception cref="ApiException">401 when it was seen before; 429 when the set is full.</exception>
    public void Accept(string signature, DateTimeOffset signedAt)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            while (_expiries.TryPeek(out var old, out var expiry) && expiry < now)
            {
                _expiries.Dequeue();
                _seen.Remove(old);
            }
            if (_seen.Contains(signature))
            {
                throw ApiException.Unauthorized("the request was already received (replayed signature); sign each request anew");
            }
            if (_seen.Count >= options.MaxRememberedSignatures)
            {
                throw new ApiException(429, ErrorCodes.TooManyRequests,
                    $"{_seen.Count} signed requests that change state are within Auth:MaxClockSkew, as many as " +
                    "Auth:MaxRememberedSignatures allows to check for replays; retry later");
            }
            _seen.Add(signature);
            _expiries.Enqueue(signature, signedAt + options.MaxClockSkew);
        }
    }
}
