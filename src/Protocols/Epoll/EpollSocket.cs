using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Epoll;

/// <summary>
/// A connected non-blocking TCP socket driven by an <see cref="EpollLoop"/>, as a Stream (so SslStream and
/// the pipe adapters sit on it unchanged). Reads and writes are one system call when the kernel is ready,
/// and otherwise wait for the loop's edge; nothing is allocated per call in the steady state (the slow
/// paths' state machines are pooled). One reader and one writer at a time, as with NetworkStream.
/// </summary>
internal sealed class EpollSocket : Stream, IValueTaskSource<int>
{
    private readonly Socket _socket;  // owns the descriptor and its options; never used for I/O (that would register it with .NET's own epoll)
    private readonly EpollLoop _loop;
    private readonly int _fd;
    private readonly ReadinessSignal _readable = new(ready: true);
    private readonly ReadinessSignal _writable = new(ready: false);  // until connect completes
    private readonly PendingRead _pendingRead;
    private int _closed;
    private volatile bool _peerDone;  // FIN, reset or error seen: that state stays, but raises no further edge

    private EpollSocket(Socket socket, EpollLoop loop)
    {
        _socket = socket;
        _loop = loop;
        _fd = (int)socket.Handle;
        _pendingRead = new PendingRead(this);
        loop.Register(this, _fd);
    }

    /// <summary>The key of this socket's events in its loop.</summary>
    internal ulong Key { get; set; }

    /// <summary>True where the transport can run (Linux with glibc); elsewhere callers use NetworkStream.</summary>
    public static bool IsSupported { get; } = ProbeSupport();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Connects to the first address that accepts (TCP_NODELAY), as Socket.ConnectAsync(addresses) does, from the next
    /// of <paramref name="sources"/> when there are any.
    /// </summary>
    public static async Task<EpollSocket> ConnectAsync(IPAddress[] addresses, int port, SourceAddresses? sources, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
            EpollSocket? connection = null;
            try
            {
                sources?.Bind(socket);
                int errno = StartConnect((int)socket.Handle, new IPEndPoint(address, port));
                if (errno != 0 && errno != Libc.EINPROGRESS)
                {
                    throw Libc.Error(errno);
                }

                connection = new EpollSocket(socket, EpollLoop.Next());
                await connection._writable.WaitAsync(cancellationToken).ConfigureAwait(false);
                int error = connection.PendingError();
                if (error != 0)
                {
                    throw Libc.Error(error);
                }

                return connection;
            }
            catch (SocketException e)
            {
                last = e;
                Close(connection, socket);
            }
            catch
            {
                Close(connection, socket);
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.AddressNotAvailable);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int received;
        try
        {
            received = TryReceive(buffer.Span);
        }
        catch (IOException error)
        {
            return ValueTask.FromException<int>(error);
        }

        return received >= 0 ? new ValueTask<int>(received) : _pendingRead.Start(buffer, cancellationToken);
    }

    /// <summary>
    /// Receives what the kernel holds, without waiting: the count (0 at the end of the stream), or -1 when the last
    /// read found the buffer empty and no edge came since (then <see cref="WaitReadableAsync"/>). For a reader that
    /// drives the socket itself (the HTTP client on plain connections) rather than through ReadAsync's completion.
    /// </summary>
    /// <exception cref="IOException">The socket failed.</exception>
    internal int TryReceive(Span<byte> buffer) => _readable.TryConsume() ? ReceiveNow(buffer) : -1;

    /// <summary>Completes at the next edge (at once when one came); then call <see cref="ReceiveNow"/>. Fails when interrupted or closed.</summary>
    internal ValueTask WaitReadableAsync() => _readable.WaitAsync(CancellationToken.None);

    /// <summary>Receives after <see cref="WaitReadableAsync"/> completed (its edge is taken): as <see cref="TryReceive"/>.</summary>
    internal int ReceiveNow(Span<byte> buffer)
    {
        nint received = Receive(buffer);
        if (received >= 0)
        {
            return Received(received, buffer.Length);
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Libc.EAGAIN ? -1 : throw ReadError(errno);
    }

    /// <summary>
    /// From any thread: fails the pending read and write, and every later one that would wait (the connection is
    /// then only good for disposing). What the HTTP client's timeout does instead of a token per request.
    /// </summary>
    public void Interrupt()
    {
        _readable.Close();
        _writable.Close();
    }

    int IValueTaskSource<int>.GetResult(short token) => _pendingRead.Core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pendingRead.Core.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pendingRead.Core.OnCompleted(continuation, state, token, flags);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            nint sent = Send(buffer.Span);
            if (sent < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EAGAIN)
                {
                    return WriteWhenReadyAsync(buffer, cancellationToken);
                }

                return ValueTask.FromException(WriteError(errno));
            }

            buffer = buffer[(int)sent..];
        }

        return ValueTask.CompletedTask;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>From the loop: raise the signals an event concerns (errors and hang-ups wake both; the call then reports them).</summary>
    internal void OnEvents(uint flags)
    {
        const uint Trouble = Libc.EPOLLERR | Libc.EPOLLHUP;
        if ((flags & (Libc.EPOLLRDHUP | Trouble)) != 0)
        {
            _peerDone = true;  // before raising, so a reader that takes this edge sees it
        }

        if ((flags & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Trouble)) != 0)
        {
            _readable.Raise();
        }

        if ((flags & (Libc.EPOLLOUT | Trouble)) != 0)
        {
            _writable.Raise();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Close(this, _socket);
        }

        base.Dispose(disposing);
    }

    private static void Close(EpollSocket? connection, Socket socket)
    {
        if (connection is not null)
        {
            connection._readable.Close();
            connection._writable.Close();
            connection._loop.Unregister(connection.Key, connection._fd);
        }

        socket.Dispose();
    }

    private unsafe static int StartConnect(int fd, IPEndPoint endpoint)
    {
        SocketAddress address = endpoint.Serialize();
        Span<byte> native = stackalloc byte[address.Size];
        address.Buffer.Span[..address.Size].CopyTo(native);
        fixed (byte* p = native)
        {
            return Libc.connect(fd, p, native.Length) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    private static bool ProbeSupport()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("PERFTEST_EPOLL") == "0")
        {
            return false;
        }

        try
        {
            EpollLoop.Next();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or SocketException)
        {
            return false;  // not glibc: the portable path
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteWhenReadyAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await _writable.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (!buffer.IsEmpty)
            {
                nint sent = Send(buffer.Span);
                if (sent < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != Libc.EAGAIN)
                    {
                        throw WriteError(errno);
                    }

                    break;
                }

                buffer = buffer[(int)sent..];
            }
        }
    }

    /// <summary>
    /// A read that waits for the socket to become readable: one per socket, reused (the socket is its
    /// IValueTaskSource), so a read that waits allocates nothing. The wait's continuation runs on the loop thread
    /// that raised the edge, makes the recv there and completes the read, whose own continuation runs inline too.
    /// </summary>
    private sealed class PendingRead(EpollSocket socket)
    {
        public ManualResetValueTaskSourceCore<int> Core;  // continuations run inline
        private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _wait;
        private Memory<byte> _buffer;
        private CancellationToken _token;
        private Action? _onReadable;

        public ValueTask<int> Start(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            _buffer = buffer;
            _token = cancellationToken;
            Core.Reset();
            short version = Core.Version;
            WaitOrReceive(waited: false);
            return new ValueTask<int>(socket, version);
        }

        /// <summary>Waits for an edge, then receives; again while the receive finds nothing (a spurious edge).</summary>
        private void WaitOrReceive(bool waited)
        {
            try
            {
                while (true)
                {
                    if (!waited)
                    {
#pragma warning disable CA2012 // consumed exactly once, by GetResult below: what an await does
                        _wait = socket._readable.WaitAsync(_token).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                        if (!_wait.IsCompleted)
                        {
                            _wait.UnsafeOnCompleted(_onReadable ??= () => WaitOrReceive(waited: true));
                            return;
                        }
                    }

                    waited = false;
                    ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter wait = _wait;
                    _wait = default;
                    wait.GetResult();
                    int received = socket.ReceiveNow(_buffer.Span);
                    if (received >= 0)
                    {
                        Complete(received, null);
                        return;
                    }
                }
            }
            catch (Exception error)
            {
                Complete(0, error);
            }
        }

        /// <summary>Last: the reader's continuation runs inline and may start the next read.</summary>
        private void Complete(int received, Exception? error)
        {
            _buffer = default;
            _token = default;
            if (error is null)
            {
                Core.SetResult(received);
            }
            else
            {
                Core.SetException(error);
            }
        }
    }

    /// <summary>
    /// A short read emptied the kernel buffer, so the next read waits for an edge; a full one may have left
    /// more. A zero-byte read (SslStream's "tell me when data is there") took the edge without reading the
    /// data, so it leaves the signal raised. So does a short read after the peer closed: the end of the
    /// stream is still to be read, and no edge will announce it again (this is where edge-triggered
    /// differs from wrk's level-triggered loop).
    /// </summary>
    private int Received(nint received, int requested)
    {
        if (received == requested || _peerDone)
        {
            _readable.MarkReady();
        }

        return (int)received;
    }

    private unsafe nint Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        fixed (byte* p = buffer)
        {
            return Libc.recv(_fd, p, buffer.Length, 0);
        }
    }

    private unsafe nint Send(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        fixed (byte* p = buffer)
        {
            return Libc.send(_fd, p, buffer.Length, Libc.MSG_NOSIGNAL);
        }
    }

    private unsafe int PendingError()
    {
        int error = 0;
        int length = sizeof(int);
        return Libc.getsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &error, &length) == 0 ? error : Marshal.GetLastPInvokeError();
    }

    // The same shapes NetworkStream throws, so callers classify both transports alike.
    private static IOException ReadError(int errno) => new("Unable to read data from the transport connection.", Libc.Error(errno));

    private static IOException WriteError(int errno) => new("Unable to write data to the transport connection.", Libc.Error(errno));
}
