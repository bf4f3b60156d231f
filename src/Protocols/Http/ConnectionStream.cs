using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>
/// One open TCP (optionally TLS) connection with a pipe reader and writer over it. Opening it allocates
/// (socket, streams, pipes); that happens once per connection, not per request.
/// </summary>
internal sealed class ConnectionStream : IDisposable
{
    // Offer only HTTP/1.1 in ALPN so a server that prefers h2 still answers in HTTP/1.1.
    private static readonly List<SslApplicationProtocol> s_alpn = [SslApplicationProtocol.Http11];

    /// <summary>16 KiB segments: a typical HTTP response head plus a small body fits in one read.</summary>
    public const int DefaultReadBufferSize = 16 * 1024;

    /// <summary>
    /// 4 KiB segments for WebSocket: its messages are small and a VU holds its connection for the whole run, often
    /// by the ten thousand, so the segment a pending read holds is most of what an idle connection costs. A larger
    /// message takes more segments, not a larger one.
    /// </summary>
    public const int SmallReadBufferSize = 4 * 1024;

    private static readonly StreamPipeReaderOptions s_readerOptions = new(bufferSize: DefaultReadBufferSize, minimumReadSize: 2048, leaveOpen: true);
    private static readonly StreamPipeReaderOptions s_smallReaderOptions = new(bufferSize: SmallReadBufferSize, minimumReadSize: 1024, leaveOpen: true);
    private static readonly StreamPipeWriterOptions s_writerOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private readonly Stream _stream;  // owns the socket

    private ConnectionStream(HttpEndpoint endpoint, Stream stream, bool smallReads)
    {
        Endpoint = endpoint;
        _stream = stream;
        Reader = PipeReader.Create(stream, smallReads ? s_smallReaderOptions : s_readerOptions);
        Writer = PipeWriter.Create(stream, s_writerOptions);
    }

    public HttpEndpoint Endpoint { get; }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    /// <summary>
    /// TCP connect (with TCP_NODELAY: a request is one write and must not wait for Nagle) and, for https, the TLS handshake.
    /// <c>smallReads</c>: <see cref="SmallReadBufferSize"/> read segments instead of <see cref="DefaultReadBufferSize"/>.
    /// </summary>
    public static async Task<ConnectionStream> ConnectAsync(HttpEndpoint endpoint, IPAddress[] addresses, HttpClientOptions options,
        CancellationToken cancellationToken, bool smallReads = false)
    {
        Stream stream = await TcpTransport.ConnectAsync(addresses, endpoint.Port, options.Sources, cancellationToken).ConfigureAwait(false);
        try
        {
            if (endpoint.IsHttps)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(TlsOptions(endpoint, options), cancellationToken).ConfigureAwait(false);
            }

            return new ConnectionStream(endpoint, stream, smallReads);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Closes at once. Unread response bytes make the kernel send RST, which is what we want after a timeout
    /// or a parse failure: nothing of this connection may be read again.
    /// </summary>
    public void Dispose()
    {
        // Every request is flushed before the response is read, so the writer holds no bytes and Complete
        // does no I/O; a dead socket must not turn closing into an exception anyway.
        try
        {
            Writer.Complete();
        }
        catch (Exception)
        {
        }

        Reader.Complete();
        _stream.Dispose();
    }

#pragma warning disable CA5359 // Deliberate and opt-in: HttpClientOptions.AcceptAnyServerCertificate, for self-signed load-test targets.
    private static SslClientAuthenticationOptions TlsOptions(HttpEndpoint endpoint, HttpClientOptions options) => new()
    {
        TargetHost = endpoint.Host,
        ApplicationProtocols = s_alpn,
        RemoteCertificateValidationCallback = options.AcceptAnyServerCertificate ? AcceptAny : null,
    };


    private static bool AcceptAny(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;
#pragma warning restore CA5359
}
