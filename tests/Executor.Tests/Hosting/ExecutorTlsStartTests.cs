using Xunit;

namespace PerfTest.Executor.Tests.Hosting;

/// <summary>
/// With Executor:Tls configured the executor sends its secret over TLS only: an http:// control plane address,
/// listening address or advertised address is refused at start with a message naming the key.
/// </summary>
public sealed class ExecutorTlsStartTests
{
    private static string Refusal(params string[] more)
    {
        string[] args = ["--Executor:SharedSecret=s", "--Executor:ClusterId=1", .. more];
        Assert.Null(ExecutorProgram.Build(args, out var error));
        return error;
    }

    [Fact]
    public void Http_addresses_are_refused_when_Tls_is_configured()
    {
        const string tls = "--Executor:Tls:CaPath=/etc/perftest/ca.crt";
        Assert.Equal("Executor:ControlPlaneUrl is http://127.0.0.1:5081, but Executor:Tls is configured: the executor channel is then " +
                     "https:// only, so the shared secret never travels in clear",
            Refusal("--Executor:ControlPlaneUrl=http://127.0.0.1:5081", tls));
        Assert.StartsWith("Urls is http://127.0.0.1:7001, but Executor:Tls is configured",
            Refusal("--Executor:ControlPlaneUrl=https://127.0.0.1:5081", "--Urls=http://127.0.0.1:7001", tls));
        Assert.StartsWith("Executor:AdvertisedUrl is http://10.0.0.5:7001, but Executor:Tls is configured",
            Refusal("--Executor:ControlPlaneUrl=https://127.0.0.1:5081", "--Urls=https://127.0.0.1:7001",
                "--Executor:AdvertisedUrl=http://10.0.0.5:7001", tls));
    }

    [Fact]
    public void Tls_needs_this_executors_certificate_and_an_https_listener_needs_Tls()
    {
        Assert.StartsWith("Executor:Tls is configured, so Executor:Tls:CertificatePath and Executor:Tls:KeyPath are required",
            Refusal("--Executor:ControlPlaneUrl=https://127.0.0.1:5081", "--Executor:Tls:CaPath=/etc/perftest/ca.crt"));
        Assert.Equal("Urls is https://127.0.0.1:7001, but Executor:Tls:CertificatePath and Executor:Tls:KeyPath are not set: " +
                     "an https:// listener needs them",
            Refusal("--Executor:ControlPlaneUrl=https://127.0.0.1:5081", "--Urls=https://127.0.0.1:7001"));
        Assert.StartsWith("cannot read Executor:Tls:CertificatePath '/nonexistent/executor.crt'",
            Refusal("--Executor:ControlPlaneUrl=https://127.0.0.1:5081", "--Executor:Tls:CertificatePath=/nonexistent/executor.crt",
                "--Executor:Tls:KeyPath=/nonexistent/executor.key"));
    }
}
