using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Http;

/// <summary>
/// The hot path of <see cref="Http1Connection"/>: connect if needed, write the request, read and parse the
/// response, retry once on a stale keep-alive connection. Written as an explicit state machine behind a
/// reusable <see cref="IValueTaskSource{TResult}"/> (like Kestrel's and the sockets' awaitables) rather
/// than as an async method, because a compiler-generated one is a class in Debug builds and then
/// allocates per call; this allocates nothing per request in any build.
/// </summary>
internal sealed class SendOperation : IValueTaskSource<RequestResult>, IDeadlineTarget, IDisposable
{
    // Caller cancellation: the connect token is cancelled, and the exchange expires at once.
    private static readonly Action<object?> s_callerCanceled = static state => ((SendOperation)state!).Abort();

    private enum State : byte
    {
        Start,
        Connected,
        Write,
        Written,
        Read,
        Parse,
        Ended,
    }

    private readonly HttpClientOptions _options;
    private readonly Connector _connector;
    private readonly ResponseParser _parser = new();
    private readonly RequestTimer _timer = new();
    private readonly Action _moveNext;  // the one continuation for every await, allocated once
    private ManualResetValueTaskSourceCore<RequestResult> _core;  // continuations run inline, as after an await
    private ConfiguredTaskAwaitable<ConnectResult>.ConfiguredTaskAwaiter _connecting;
    private ConfiguredValueTaskAwaitable<FlushResult>.ConfiguredValueTaskAwaiter _writing;
    private ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _reading;
    private ConnectionStream? _connection;
    private State _state;
    private bool _busy;

    // The request in flight.
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

    // The exchange's deadline (Stopwatch timestamp, 0 = none), read by DeadlineSweeper on its thread.
    // _epoch numbers the exchanges, so a cancellation meant for one is never taken for the next.
    private long _deadline;
    private int _epoch;
    private int _expiredEpoch = -1;
    private int _phase;  // 0 idle, 1 writing, 2 reading: what the sweeper may cancel
    private volatile bool _expireRequested;  // abort or caller cancellation: the exchange's deadline is now

    public SendOperation(HttpClientOptions options)
    {
        _options = options;
        _connector = new Connector(options);
        _moveNext = MoveNext;
        DeadlineSweeper.Add(this);
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
        _expireRequested = false;
        // Forwarded to our timer so a single token reaches the pipe; the callback is static and the
        // registration node is recycled by the caller's source, so this does not allocate per request.
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
        DeadlineSweeper.Remove(this);
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
        result = default;
        while (true)
        {
            try
            {
                switch (_state)
                {
                    case State.Start:
                        _reused = _connection is not null && _connection.Endpoint.Equals(_request!.Endpoint);
                        if (_reused)
                        {
                            _state = State.Write;
                            break;
                        }

                        CloseConnection();
                        _state = State.Connected;
                        _connecting = _connector.ConnectAsync(_request!.Endpoint, _timer, _callerToken).ConfigureAwait(false).GetAwaiter();
                        if (!_connecting.IsCompleted)
                        {
                            _connecting.UnsafeOnCompleted(_moveNext);
                            return false;
                        }

                        break;

                    case State.Connected:
                        ConnectResult connected = _connecting.GetResult(); // throws only for caller cancellation
                        _connecting = default;
                        if (connected.Connection is null)
                        {
                            result = new RequestResult(connected.Outcome, 0, 0, 0);
                            return true;
                        }

                        _connection = connected.Connection;
                        _state = State.Write;
                        break;

                    case State.Write:
                        _inExchange = true;
                        _parser.Reset(_request!.IsHead, _capture);
                        _sent = 0;
                        _unconsumed = 0;
                        _failure = null;
                        // Covers writing too: a server that stops reading must not hang the virtual user.
                        ArmDeadline(_options.ResponseTimeout);
                        _state = State.Written;
                        Volatile.Write(ref _phase, 1);
#pragma warning disable CA2012 // consumed exactly once, by GetResult in the next state: what an await does
                        _writing = RequestWriter.WriteAsync(_connection!.Writer, _request, CancellationToken.None).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                        if (!_writing.IsCompleted)
                        {
                            _writing.UnsafeOnCompleted(_moveNext);
                            return false;
                        }

                        break;

                    case State.Written:
                        FlushResult flushed = _writing.GetResult();
                        _writing = default;
                        if (flushed.IsCanceled)
                        {
                            // Only the sweeper (or the caller) cancels a flush; the stream state is unknown now.
                            _failure = Expired ? Outcome.Timeout : Outcome.Other;
                            _state = State.Ended;
                            break;
                        }

                        _sent = _request!.Encoded.Length;
                        _state = State.Read;
                        break;

                    case State.Read:
                        _state = State.Parse;
                        Volatile.Write(ref _phase, 2);
#pragma warning disable CA2012 // as above
                        _reading = _connection!.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                        if (!_reading.IsCompleted)
                        {
                            _reading.UnsafeOnCompleted(_moveNext);
                            return false;
                        }

                        break;

                    case State.Parse:
                        ReadResult read = _reading.GetResult();
                        _reading = default;
                        Consume(read);
                        if (read.IsCanceled && _state == State.Read && Expired)
                        {
                            _failure = Outcome.Timeout;
                            _state = State.Ended;
                        }

                        // A cancellation meant for an earlier exchange only made this read return early: read on.
                        break;

                    default:
                        if (End(out result))
                        {
                            return true;
                        }

                        break;
                }
            }
            catch (Exception) when (_inExchange && !_callerToken.IsCancellationRequested)
            {
                // Our timer fired (OperationCanceledException) or the socket failed (IOException, SocketException).
                _writing = default;
                _reading = default;
                _failure = Expired ? Outcome.Timeout : Outcome.Other;
                _state = State.Ended;
            }
        }
    }

    /// <summary>Feeds what was read to the parser; moves to Read (more needed) or Ended.</summary>
    private void Consume(in ReadResult read)
    {
        PipeReader reader = _connection!.Reader;
        ReadOnlySequence<byte> buffer = read.Buffer;
        ParseStatus status = _parser.Parse(buffer, out SequencePosition consumed);
        if (status == ParseStatus.Done)
        {
            // Anything after the response stays buffered: it would be the start of the next one.
            reader.AdvanceTo(consumed);
            _state = State.Ended;
            return;
        }

        if (status == ParseStatus.Error || read.IsCompleted)
        {
            // Measured before AdvanceTo, which may hand the buffer back to the pool.
            _unconsumed = buffer.Slice(consumed).Length;
            reader.AdvanceTo(consumed, buffer.End);
            if (status == ParseStatus.Error)
            {
                _failure = Outcome.ParseFailed;
            }
            else if (!_parser.TryCompleteAtEndOfStream())
            {
                _failure = Outcome.Other; // closed mid-response, or before it (see End)
            }

            _state = State.Ended;
            return;
        }

        reader.AdvanceTo(consumed, buffer.End);
        _state = State.Read;
    }

    /// <returns>True with the final result; false when the request is retried on a new connection.</returns>
    private bool End(out RequestResult result)
    {
        _inExchange = false;
        DisarmDeadline();
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

        if (!_parser.KeepAlive || _request!.RequestsClose)
        {
            CloseConnection();
        }

        Outcome outcome = statusCode is >= 200 and < 400 ? Outcome.Success : Outcome.CheckpointFailed;
        result = new RequestResult(outcome, statusCode, _sent, received);
        return true;
    }

    private bool Expired => Volatile.Read(ref _expiredEpoch) == _epoch;

    private void ArmDeadline(TimeSpan timeout)
    {
        _epoch++;
        Volatile.Write(ref _deadline, _expireRequested ? 1 : DeadlineSweeper.DeadlineIn(timeout));
    }

    private void DisarmDeadline()
    {
        Volatile.Write(ref _deadline, 0);
        Volatile.Write(ref _phase, 0);
    }

    /// <summary>Called by <see cref="DeadlineSweeper"/>: cancels the pending read or flush of an exchange past its deadline.</summary>
    public void ExpireIfDue(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline != 0 && now >= deadline)
        {
            Expire();
        }
    }

    /// <summary>Ends what is in flight at once, connect included; thread-safe.</summary>
    internal void Abort()
    {
        _timer.Cancel();
        ExpireNow();
    }

    /// <summary>
    /// Ends the exchange in flight as if its deadline had passed (abort, caller cancellation), from any
    /// thread: its deadline becomes now (an exchange not armed yet is armed already expired), and the
    /// sweeper cancels it within one resolution, whatever phase it is in by then.
    /// </summary>
    internal void ExpireNow()
    {
        _expireRequested = true;
        long deadline = Volatile.Read(ref _deadline);
        if (deadline != 0)
        {
            Interlocked.CompareExchange(ref _deadline, 1, deadline);
        }
    }

    private void Expire()
    {
        int epoch = Volatile.Read(ref _epoch);
        Volatile.Write(ref _expiredEpoch, epoch);
        ConnectionStream? connection = Volatile.Read(ref _connection);
        try
        {
            switch (Volatile.Read(ref _phase))
            {
                case 1:
                    connection?.Writer.CancelPendingFlush();
                    break;
                case 2:
                    connection?.Reader.CancelPendingRead();
                    break;
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // The exchange ended and its connection went away meanwhile: nothing left to cancel.
        }
    }

    private void CloseConnection()
    {
        ConnectionStream? connection = _connection;
        _connection = null;
        connection?.Dispose();
    }
}
