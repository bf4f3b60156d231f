namespace PerfTest.ControlPlane.Auth;

/// <summary>Bound from the <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    /// <summary>AK/SK pairs for requests signed as the Huawei Cloud SDKs sign them.</summary>
    public List<AccessKeyCredential> Credentials { get; set; } = [];

    /// <summary>Static tokens accepted in <c>X-Auth-Token</c>.</summary>
    public List<TokenCredential> Tokens { get; set; } = [];

    /// <summary>How far <c>X-Sdk-Date</c> may be from the server clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether <c>X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD</c> is accepted on a request with a body; off, because
    /// such a body is not covered by the signature and anyone who sees the request could change it.
    /// </summary>
    public bool AllowUnsignedPayload { get; set; }

    /// <summary>
    /// How many signatures of state-changing signed requests are remembered to refuse replays; once that many are
    /// within their clock-skew window, further state-changing signed requests are refused (429) rather than any
    /// signature forgotten early.
    /// </summary>
    public int MaxRememberedSignatures { get; set; } = 100_000;

    public bool HasAnyCredential => Credentials.Count > 0 || Tokens.Count > 0;

    /// <summary>
    /// The entries that would let anyone in (an empty secret key signs for everyone who knows the access key),
    /// each named by its configuration key, never by its value; the service refuses to run with any.
    /// </summary>
    public IReadOnlyList<string> BlankEntries()
    {
        var blank = new List<string>();
        for (var i = 0; i < Credentials.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Credentials[i].AccessKey))
            {
                blank.Add($"Auth:Credentials:{i}:AccessKey");
            }
            if (string.IsNullOrWhiteSpace(Credentials[i].SecretKey))
            {
                blank.Add($"Auth:Credentials:{i}:SecretKey");
            }
        }
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Tokens[i].Token))
            {
                blank.Add($"Auth:Tokens:{i}:Token");
            }
        }
        return blank;
    }
}

public sealed class AccessKeyCredential
{
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public List<string> ProjectIds { get; set; } = [];

    /// <summary>Both keys set; a blank one never authenticates, even in the moment before a refusing service stops.</summary>
    public bool IsComplete => !string.IsNullOrWhiteSpace(AccessKey) && !string.IsNullOrWhiteSpace(SecretKey);
}

public sealed class TokenCredential
{
    public string Token { get; set; } = "";
    public List<string> ProjectIds { get; set; } = [];
}
