using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using PerfTest.Protocols.Epoll;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>
/// One open TCP (optionally TLS) connection: the stream the HTTP client reads and writes directly
/// (<see cref="Transport"/>), or a pipe reader and writer over it for the clients that want them (WebSocket,
/// HTTP-FLV; made on first use). Opening it allocates (socket, streams); that happens once per connection, not per
/// request.
/// </summary>
internal sealed class ConnectionStream : IDisposable, IInterruptible
{
    // Offer only HTTP/1.1 in ALPN so a server that prefers h2 still answers in HTTP/1.1.
    private static readonly List<SslApplicationProtocol> s_alpn = [SslApplicationProtocol.Http11];

    /// <summary>16 KiB segments for the pipe readers that stream (HTTP-FLV): a media tag or more per read. (The HTTP client reads into its own <see cref="ResponseBuffer"/>.)</summary>
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
    private readonly EpollSocket? _socket;  // the socket under _stream when it is ours (interrupted directly)
    private readonly CancellationTokenSource? _interrupt;  // otherwise: IoToken's source, cancelled by Interrupt
    private readonly StreamPipeReaderOptions _readerOptions;
    private PipeReader? _reader;
    private PipeWriter? _writer;

    private ConnectionStream(HttpEndpoint endpoint, Stream stream, Stream transport, bool smallReads)
    {
        Endpoint = endpoint;
        _stream = stream;
        _socket = transport as EpollSocket;
        _interrupt = _socket is null ? new CancellationTokenSource() : null;
        _readerOptions = smallReads ? s_smallReaderOptions : s_readerOptions;
        PlainSocket = ReferenceEquals(stream, _socket) ? _socket : null;
    }

    /// <summary>Our epoll socket when nothing sits between it and the HTTP bytes (no TLS): read without a stream's layers.</summary>
    public EpollSocket? PlainSocket { get; }

    public HttpEndpoint Endpoint { get; }

    /// <summary>The connection's byte stream (TLS when https): what the HTTP client writes and reads.</summary>
    public Stream Transport => _stream;

    /// <summary>
    /// The token to pass to <see cref="Transport"/>'s reads and writes so that <see cref="Interrupt"/> ends them. None
    /// on our own epoll sockets, which are interrupted directly, so the hot path registers on nothing.
    /// </summary>
    public CancellationToken IoToken => _interrupt?.Token ?? default;

    public PipeReader Reader => _reader ??= PipeReader.Create(_stream, _readerOptions);

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, s_writerOptions);

    /// <summary>
    /// From any thread: fails the pending read or write of <see cref="Transport"/> and every later one (the connection
    /// is then only good for closing). Run on the thread pool: the failed reader's continuation runs where the
    /// failure is raised, and it must not run on the caller's (the deadline sweeper's) thread.
    /// </summary>
    public void Interrupt() => ThreadPool.UnsafeQueueUserWorkItem(static state => state.InterruptNow(), this, preferLocal: false);

    private void InterruptNow()
    {
        if (_socket is not null)
        {
            _socket.Interrupt();
            return;
        }

        try
        {
            _interrupt!.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nothing left to interrupt.
        }
    }

    /// <summary>
    /// TCP connect (with TCP_NODELAY: a request is one write and must not wait for Nagle) and, for https, the TLS handshake.
    /// <c>smallReads</c>: <see cref="SmallReadBufferSize"/> read segments instead of <see cref="DefaultReadBufferSize"/>.
    /// </summary>
    public static async Task<ConnectionStream> ConnectAsync(HttpEndpoint endpoint, IPAddress[] addresses, HttpClientOptions options,
        CancellationToken cancellationToken, bool smallReads = false)
    {
        Stream stream = await TcpTransport.ConnectAsync(addresses, endpoint.Port, options.Sources, cancellationToken).ConfigureAwait(false);
        Stream transport = stream;
        try
        {
            if (endpoint.IsHttps)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(TlsOptions(endpoint, options), cancellationToken).ConfigureAwait(false);
            }

            return new ConnectionStream(endpoint, stream, transport, smallReads);
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
        // Every message is flushed before the answer is read, so the writer holds no bytes and Complete
        // does no I/O; a dead socket must not turn closing into an exception anyway.
        try
        {
            _writer?.Complete();
        }
        catch (Exception)
        {
        }

        _reader?.Complete();
        _stream.Dispose();
        _interrupt?.Dispose();
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
