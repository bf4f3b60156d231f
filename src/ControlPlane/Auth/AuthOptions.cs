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

    public bool HasAnyCredential => Credentials.Count > 0 || Tokens.Count > 0;
}

public sealed class AccessKeyCredential
{
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public List<string> ProjectIds { get; set; } = [];
}

public sealed class TokenCredential
{
    public string Token { get; set; } = "";
    public List<string> ProjectIds { get; set; } = [];
}
