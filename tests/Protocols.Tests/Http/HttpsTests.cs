using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using PerfTest.Protocols.Http;

namespace PerfTest.Protocols.Tests.Http;

public class HttpsTests
{
    /// <summary>A throw-away self-signed server certificate for 127.0.0.1/localhost.</summary>
    internal static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=perftest-self-signed", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    [Theory]
    [InlineData(true, Outcome.Success)]
    [InlineData(false, Outcome.Other)]
    public async Task Self_signed_server_succeeds_only_when_any_certificate_is_accepted(bool acceptAny, Outcome expected)
    {
        using X509Certificate2 certificate = SelfSigned();
        await using KestrelHost host = await KestrelHost.StartAsync(context => context.Response.WriteAsync("secure"), certificate);
        await using var connection = new Http1Connection(new HttpClientOptions { AcceptAnyServerCertificate = acceptAny });
        HttpRequestTemplate get = HttpRequestTemplate.Create("GET", host.Url("/"), [], default);

        for (int i = 0; i < 3; i++)
        {
            var capture = new HttpResponseCapture();
            RequestResult result = await connection.SendAsync(get, capture);
            Assert.Equal(expected, result.Outcome);
            if (acceptAny)
            {
                Assert.Equal("secure", System.Text.Encoding.ASCII.GetString(capture.Body));
            }
        }

        Assert.Equal(acceptAny ? 1 : 0, host.ConnectionIds.Count);
    }
}
