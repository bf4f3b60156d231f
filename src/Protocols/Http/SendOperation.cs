using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>
/// The hot path of <see cref="Http1Connection"/>: connect if needed, write the request, read and parse the
/// response, retry once on a stale keep-alive connection. Written as an explicit state machine behind a
/// reusable <see cref="IValueTaskSource{TResult}"/> (like Kestrel's and the sockets' awaitables) rather
/// than as an async method, because a compiler-generated one is a class in Debug builds and then
/// allocates per call; this allocates nothing per request in any build. The request is written straight to the
/// connection's stream and the response read into a <see cref="ResponseBuffer"/> and parsed there: no pipe between
/// (on our epoll sockets a request is one send and a response one recv, both usually without waiting). Two timeouts:
/// the connect's (<see cref="RequestTimer"/>, a token for DNS, TCP and TLS) and the exchange's
/// (<see cref="InterruptDeadline"/>, swept: it interrupts the connection).
/// </summary>
internal sealed class SendOperation : IValueTaskSource<RequestResult>, IDisposable
{
    // Caller cancellation calls Abort: the connect in progress is cancelled, and the exchange is interrupted at the next sweep.
    private static readonly Action<object?> s_callerCanceled = static state => ((SendOperation)state!).Abort();

    private enum State : byte
    {
        Start,
        Connected,
        Write,
        Written,
        Read,
        Parse,
        ParseBuffered,
        Readable,
        Ended,
    }

    /// <summary>What a state did: go on to the next state, wait for an awaiter (it calls back), or finish the request.</summary>
    private enum Step : byte
    {
        Next,
        Suspended,
        Finished,
    }

    private readonly HttpClientOptions _options;
    private readonly Connector _connector;
    private readonly ResponseParser _parser = new();
    private readonly RequestTimer _timer = new();        // connect: DNS, TCP, TLS (once per connection)
    private readonly InterruptDeadline _deadline = new();  // the exchange: writing the request and reading its response
    private readonly ResponseBuffer _buffer = new();     // read, not yet parsed (bytes past a response stay for the next)
    private readonly Action _moveNext;  // the one continuation for every await, allocated once
    private ManualResetValueTaskSourceCore<RequestResult> _core;  // continuations run inline, as after an await
    private ConfiguredTaskAwaitable<ConnectResult>.ConfiguredTaskAwaiter _connecting;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _writing;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _reading;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _readable;  // a plain epoll socket's next edge
    private ConnectionStream? _connection;
    private State _state;
    private bool _busy;

    // The request in flight; _capture is what the caller gave SendAsync, filled by the parser (null on load runs).
    private HttpRequestTemplate? _request;
    private HttpResponseCapture? _capture;
    private CancellationToken _callerToken;
    private CancellationTokenRegistration _registration;
    private int _attempt;
    private bool _reused;
    private bool _inExchange;  // between writing and the end of the response: I/O errors are outcomes
    private long _sent;
    private long _unconsumed;  // bytes read past the point of failure, still counted as received
    private Outcome? _failure;

    public SendOperation(HttpClientOptions options)
    {
        _options = options;
        _connector = new Connector(options);
        _moveNext = MoveNext;
    }

    public ValueTask<RequestResult> Start(HttpRequestTemplate request, HttpResponseCapture? capture, CancellationToken cancellationToken)
    {
        if (_busy)
        {
            throw new InvalidOperationException("An Http1Connection sends one request at a time; await the previous SendAsync first.");
        }

        _busy = true;
        _core.Reset();
        _request = request;
        _capture = capture;
        _callerToken = cancellationToken;
        _deadline.Begin();
        // Forwarded to Abort (no token reaches the socket: the sweeper interrupts it); the callback is static
        // and the registration node is recycled by the caller's source, so this does not allocate per request.
        _registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_callerCanceled, this) : default;
        _attempt = 0;
        _state = State.Start;
        short version = _core.Version;
        MoveNext();
        return new ValueTask<RequestResult>(this, version);
    }

    public RequestResult GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _deadline.Unregister();
        CloseConnection();
        _timer.Dispose();
    }

    /// <summary>Runs states until an awaiter is pending (it calls back here) or the request is finished.</summary>
    private void MoveNext()
    {
        RequestResult result;
        try
        {
            if (!Run(out result))
            {
                return;
            }
        }
        catch (Exception error)
        {
            // Caller cancellation (or a bug): where the stream stands is unknown, so drop the connection.
            CloseConnection();
            Finish(default, _callerToken.IsCancellationRequested ? new OperationCanceledException(_callerToken) : error);
            return;
        }

        Finish(result, null);
    }

    /// <summary>Must be the last thing done: the caller's continuation runs inline and may start the next request.</summary>
    private void Finish(RequestResult result, Exception? error)
    {
        _registration.Dispose();  // waits for a running cancellation callback, so none outlives the request
        _timer.Disarm();
        _registration = default;
        _request = null;
        _capture = null;
        _callerToken = default;
        _busy = false;
        if (error is null)
        {
            _core.SetResult(result);
        }
        else
        {
            _core.SetException(error);
        }
    }

    /// <returns>False when suspended on an awaiter; true when <paramref name="result"/> is final.</returns>
    private bool Run(out RequestResult result)
    {
        while (true)
        {
            try
            {
                switch (Advance(out result))
                {
                    case Step.Suspended:
                        return false;
                    case Step.Finished:
                        return true;
                }
            }
            catch (Exception) when (_inExchange && !_callerToken.IsCancellationRequested)
            {
                // The socket failed (IOException, SocketException) or was interrupted by an expired exchange.
                _writing = default;
                _reading = default;
                _readable = default;
                _failure = _deadline.Expired ? Outcome.Timeout : Outcome.Other;
                _state = State.Ended;
            }
        }
    }

    /// <summary>Runs the current state once.</summary>
    private Step Advance(out RequestResult result)
    {
        result = default;
        return _state switch
        {
            State.Start => BeginConnect(),
            State.Connected => Connected(out result),
            State.Write => BeginWrite(),
            State.Written => Written(),
            State.Read => BeginRead(),
            State.Parse => Parse(),
            State.ParseBuffered => Consume(endOfStream: false),
            State.Readable => ReceiveWhenReadable(),
            _ => End(out result) ? Step.Finished : Step.Next,
        };
    }

    /// <summary>Reuses the open connection when it goes to the request's endpoint, else connects.</summary>
    private Step BeginConnect()
    {
        _reused = _connection is not null && _connection.Endpoint.Equals(_request!.Endpoint);
        if (_reused)
        {
            _state = State.Write;
            return Step.Next;
        }

        CloseConnection();
        _state = State.Connected;
        _connecting = _connector.ConnectAsync(_request!.Endpoint, _timer, _callerToken).ConfigureAwait(false).GetAwaiter();
        return Suspend(_connecting.IsCompleted, ref _connecting);
    }

    private Step Connected(out RequestResult result)
    {
        ConnectResult connected = _connecting.GetResult(); // throws only for caller cancellation
        _connecting = default;
        if (connected.Connection is null)
        {
            result = new RequestResult(connected.Outcome, 0, 0, 0);
            return Step.Finished;
        }

        result = default;
        _connection = connected.Connection;
        _buffer.Clear();
        _state = State.Write;
        return Step.Next;
    }

    private Step BeginWrite()
    {
        _inExchange = true;
        _parser.Reset(_request!.IsHead, _capture);
        _sent = 0;
        _unconsumed = 0;
        _failure = null;
        // Covers writing too: a server that stops reading must not hang the virtual user.
        ConnectionStream connection = _connection!;
        _deadline.Arm(connection, _options.ResponseTimeout);
        _state = State.Written;
#pragma warning disable CA2012 // consumed exactly once, by GetResult in the next state: what an await does
        _writing = connection.Transport.WriteAsync(_request.Encoded, connection.IoToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
        return Suspend(_writing.IsCompleted, ref _writing);
    }

    private Step Written()
    {
        ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter writing = _writing;
        _writing = default;
        writing.GetResult();  // throws when the socket failed or was interrupted
        _sent = _request!.Encoded.Length;
        // Bytes already buffered (sent after the previous response) are parsed before reading more.
        _state = _buffer.HasData ? State.ParseBuffered : State.Read;
        return Step.Next;
    }

    private Step BeginRead()
    {
        if (_connection!.PlainSocket is { } socket)
        {
            // Plain HTTP on our epoll socket: recv into the buffer here, or wait for the socket's edge.
            int received = socket.TryReceive(_buffer.Free().Span);
            if (received >= 0)
            {
                _buffer.Commit(received);
                return Consume(endOfStream: received == 0);
            }

            _state = State.Readable;
#pragma warning disable CA2012 // as above
            _readable = socket.WaitReadableAsync().ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
            return Suspend(_readable.IsCompleted, ref _readable);
        }

        _state = State.Parse;
#pragma warning disable CA2012 // as above
        _reading = _connection!.Transport.ReadAsync(_buffer.Free(), _connection.IoToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
        return Suspend(_reading.IsCompleted, ref _reading);
    }

    /// <summary>After the edge: receives and parses, or waits again when the edge brought nothing (spurious).</summary>
    private Step ReceiveWhenReadable()
    {
        ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter readable = _readable;
        _readable = default;
        readable.GetResult();  // throws when the socket was interrupted or closed
        int received = _connection!.PlainSocket!.ReceiveNow(_buffer.Free().Span);
        if (received < 0)
        {
            _state = State.Read;
            return Step.Next;
        }

        _buffer.Commit(received);
        return Consume(endOfStream: received == 0);
    }

    /// <summary>Takes what the read brought and parses.</summary>
    private Step Parse()
    {
        ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter reading = _reading;
        _reading = default;
        int received = reading.GetResult();  // throws when the socket failed or was interrupted
        _buffer.Commit(received);
        return Consume(endOfStream: received == 0);
    }

    /// <summary>Goes on when the awaiter has completed; else has it call <see cref="MoveNext"/> when it does.</summary>
    private Step Suspend<TAwaiter>(bool completed, ref TAwaiter awaiter)
        where TAwaiter : ICriticalNotifyCompletion
    {
        if (completed)
        {
            return Step.Next;
        }

        awaiter.UnsafeOnCompleted(_moveNext);
        return Step.Suspended;
    }

    /// <summary>Feeds what is buffered to the parser; moves to Read (more needed) or Ended.</summary>
    private Step Consume(bool endOfStream)
    {
        ReadOnlySequence<byte> data = _buffer.Data;
        ParseStatus status = _parser.Parse(data, out SequencePosition consumed);
        // Anything after a complete response stays buffered: it would be the start of the next one.
        _buffer.Consume(data, consumed);
        if (status == ParseStatus.Done)
        {
            _state = State.Ended;
            return Step.Next;
        }

        if (status == ParseStatus.Error || endOfStream)
        {
            _unconsumed = _buffer.Length;
            _buffer.Clear();
            if (status == ParseStatus.Error)
            {
                _failure = Outcome.ParseFailed;
            }
            else if (!_parser.TryCompleteAtEndOfStream())
            {
                _failure = Outcome.Other; // closed mid-response, or before it (see End)
            }

            _state = State.Ended;
            return Step.Next;
        }

        _state = State.Read;
        return Step.Next;
    }

    /// <returns>True with the final result; false when the request is retried on a new connection.</returns>
    private bool End(out RequestResult result)
    {
        _inExchange = false;
        // Interrupted after the response was complete: the response stands, the connection (interrupted) does not.
        bool interrupted = _deadline.Disarm();
        _writing = default;
        _reading = default;
        _readable = default;

        // Handled in MoveNext: the connection is dropped and the caller gets the cancellation.
        _callerToken.ThrowIfCancellationRequested();

        long received = _parser.BytesConsumed + _unconsumed;
        int statusCode = _parser.StatusCode;
        if (_failure is Outcome failure)
        {
            // After a timeout or a parse error the stream position is unknown; a late answer must never be
            // read as the answer to the next request. Never reuse it.
            CloseConnection();
            if (failure == Outcome.Other && received == 0)
            {
                // Closed or reset before a single response byte. On a reused connection that is the server
                // having dropped it while idle (keep-alive timeout): retry once on a fresh one.
                if (_reused && _attempt == 0)
                {
                    _attempt++;
                    _state = State.Start;
                    result = default;
                    return false;
                }

                failure = Outcome.Refused;
            }

            result = new RequestResult(failure, statusCode, _sent, received);
            return true;
        }

        if (interrupted || !_parser.KeepAlive || _request!.RequestsClose)
        {
            CloseConnection();
        }

        Outcome outcome = statusCode is >= 200 and < 400 ? Outcome.Success : Outcome.CheckpointFailed;
        result = new RequestResult(outcome, statusCode, _sent, received);
        return true;
    }

    /// <summary>
    /// Ends what is in flight, from any thread: a connect at once (it completes as a timeout); an exchange at the
    /// sweeper's next look (within <see cref="DeadlineSweeper.Resolution"/>), whatever phase it is in by then, as
    /// if its deadline had passed (an exchange not armed yet is armed already expired). Either way the request
    /// completes as a timeout and the connection is dropped; a response that completes first stands. A request
    /// started after this one ended is not affected, except that a connect it needs fails at once as a timeout.
    /// </summary>
    internal void Abort()
    {
        _timer.Cancel();
        _deadline.ExpireNow();
    }

    private void CloseConnection()
    {
        ConnectionStream? connection = _connection;
        _connection = null;
        connection?.Dispose();
    }
}
