using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace PerfTest.Executor.Hosting;

/// <summary>
/// One side's TLS for the executor channel, its files read once at start (<see cref="Load"/>): the HTTPS options of
/// its gRPC listener (<see cref="ConfigureHttps"/>) and the channels it calls the other side on
/// (<see cref="CreateChannel"/>). The other side's certificate must chain to the configured CA (or the system store
/// without one) and, for a server, name the host called; revocation is not checked (rotate short-lived certificates
/// instead). Every refusal is logged with its reason.
/// </summary>
public sealed class ChannelTls
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly string _section;
    private readonly TlsOptions _options;
    private readonly X509Certificate2? _certificate;
    private readonly X509Certificate2Collection _certificateChain;
    private readonly X509Certificate2? _clientCertificate;
    private readonly X509Certificate2Collection _clientChain;
    private readonly X509Certificate2Collection _ca;

    private ChannelTls(string section, TlsOptions options, (X509Certificate2? Leaf, X509Certificate2Collection Chain) certificate,
        (X509Certificate2? Leaf, X509Certificate2Collection Chain) client, X509Certificate2Collection ca)
    {
        _section = section;
        _options = options;
        (_certificate, _certificateChain) = certificate;
        (_clientCertificate, _clientChain) = client;
        _ca = ca;
    }

    /// <summary>True when the section configures TLS: the channel is then https:// only.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Reads the section's files.</summary>
    /// <param name="options">The section's values.</param>
    /// <param name="section">Its configuration path ("Executors:Tls", "Executor:Tls"), for messages.</param>
    /// <exception cref="InvalidOperationException">A required key is missing or a file cannot be read; the message names the key.</exception>
    public static ChannelTls Load(TlsOptions options, string section)
    {
        if (!options.Enabled)
        {
            return new ChannelTls(section, options, (null, []), (null, []), []);
        }
        if (options.CertificatePath.Length == 0 || options.KeyPath.Length == 0)
        {
            throw new InvalidOperationException($"{section} is configured, so {section}:CertificatePath and {section}:KeyPath are required: " +
                "this side's gRPC listener serves HTTPS with them");
        }
        if ((options.ClientCertificatePath.Length == 0) != (options.ClientKeyPath.Length == 0))
        {
            throw new InvalidOperationException($"{section}:ClientCertificatePath and {section}:ClientKeyPath go together: set both or neither");
        }
        var certificate = LoadPair(section, "CertificatePath", options.CertificatePath, "KeyPath", options.KeyPath);
        var client = options.ClientCertificatePath.Length > 0
            ? LoadPair(section, "ClientCertificatePath", options.ClientCertificatePath, "ClientKeyPath", options.ClientKeyPath)
            : (null, []);
        var ca = new X509Certificate2Collection();
        if (options.CaPath.Length > 0)
        {
            Read(section, "CaPath", options.CaPath, () => ca.ImportFromPemFile(options.CaPath));
            if (ca.Count == 0)
            {
                throw new InvalidOperationException($"{section}:CaPath '{options.CaPath}' holds no PEM certificate");
            }
        }
        return new ChannelTls(section, options, certificate, client, ca);
    }

    /// <summary>Why this side may not send the shared secret to <paramref name="url"/>, or null when it may (<see cref="TlsOptions.CheckCallUrl"/>).</summary>
    /// <param name="key">What the address is (a configuration key, an executor's address), for the message.</param>
    /// <param name="url">The address called.</param>
    public string? CheckCallUrl(string key, string url) => _options.CheckCallUrl(_section, key, url);

    /// <summary>The gRPC listener's HTTPS: this side's certificate and, with <see cref="TlsOptions.RequireClientCertificate"/>, the client certificate check.</summary>
    /// <param name="https">Kestrel's options of the listener.</param>
    /// <param name="logger">Where refused connections are logged, with the peer's address and the reason.</param>
    public void ConfigureHttps(HttpsConnectionAdapterOptions https, ILogger logger)
    {
        https.ServerCertificate = _certificate;
        https.ServerCertificateChain = _certificateChain;
        https.CheckCertificateRevocation = false;
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        // Kestrel's own client certificate check (ClientCertificateMode) knows nothing of the connection, so it stays off
        // and the check is set per connection here, where the peer's address is known for the log.
        https.ClientCertificateMode = ClientCertificateMode.NoCertificate;
        if (!_options.RequireClientCertificate)
        {
            return;
        }
        https.OnAuthenticate = (connection, ssl) =>
        {
            var peer = connection.RemoteEndPoint?.ToString() ?? "an unknown address";
            ssl.ClientCertificateRequired = true;
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                var reason = Verify(certificate, chain, errors, peerIsServer: false);
                if (reason is not null)
                {
                    logger.LogWarning("Refused a TLS connection from {Peer} to the executor channel: {Reason}", peer, reason);
                }
                return reason is null;
            };
        };
    }

    /// <summary>A channel to the other side: plain when TLS is off, else checking its certificate and presenting ours.</summary>
    /// <param name="address">The other side's gRPC address.</param>
    /// <param name="logger">Where a refused certificate is logged, with the address and the reason.</param>
    public GrpcChannel CreateChannel(string address, ILogger logger)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            // A peer that vanished without closing its connections (a pod's network gone) is found out by pings within
            // a few seconds, not by TCP's minutes; a connect that hangs fails fast so a lost executor is counted lost.
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        if (!Enabled)
        {
            return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }
        handler.SslOptions.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            var reason = Verify(certificate, chain, errors, peerIsServer: true);
            if (reason is not null)
            {
                logger.LogError("Refused the TLS certificate of {Address}: {Reason}", address, reason);
            }
            return reason is null;
        };
        if (_clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(_clientCertificate, _clientChain, offline: true);
        }
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>Why the peer's certificate is refused, or null when it is trusted.</summary>
    private string? Verify(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool peerIsServer)
    {
        if (certificate is null)
        {
            return peerIsServer ? "it presented no certificate" : "it presented no client certificate";
        }
        var subject = $"its certificate '{certificate.Subject}'";
        if (peerIsServer && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{subject} does not name the host called";
        }
        if (_ca.Count == 0)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? $"{subject} is not trusted by the system store ({Statuses(chain)}); {_section}:CaPath names a CA to trust instead"
                : null;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(peerIsServer ? ServerAuthentication : ClientAuthentication);
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf)
            ? null
            : $"{subject} does not chain to a CA of {_section}:CaPath ({Statuses(custom)})";
    }

    private static string Statuses(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());

    /// <summary>A certificate with its key, and the certificates that follow it in its file (its chain).</summary>
    private static (X509Certificate2? Leaf, X509Certificate2Collection Chain) LoadPair(string section, string certificateKey, string certificatePath,
        string keyKey, string keyPath)
    {
        var all = new X509Certificate2Collection();
        Read(section, certificateKey, certificatePath, () => all.ImportFromPemFile(certificatePath));
        if (all.Count == 0)
        {
            throw new InvalidOperationException($"{section}:{certificateKey} '{certificatePath}' holds no PEM certificate");
        }
        X509Certificate2? leaf = null;
        Read(section, keyKey, keyPath, () =>
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Through PKCS#12 so the key is usable by TLS on every platform (an ephemeral PEM key is not on Windows).
            leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        });
        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }
        return (leaf, chain);
    }

    private static void Read(string section, string key, string path, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"cannot read {section}:{key} '{path}': {e.Message}", e);
        }
    }
}
