using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using PerfTest.Protocols.Transport;

namespace PerfTest.Protocols.Rtmp;

/// <summary>
/// One RTMP connection's wire: a counting stream, a <see cref="PipeReader"/> over it feeding the
/// <see cref="ChunkReader"/>, the <see cref="ChunkWriter"/> for what we send, and the protocol control
/// messages a client must honour on its own (Window Acknowledgement Size and the Acknowledgements it asks
/// for, Set Peer Bandwidth, Ping). Every wait is bounded by the timeout its caller gives: the timer is one
/// CancellationTokenSource linked to the caller's token, so a fired timer (<see cref="TimeoutException"/>)
/// and the caller's cancellation (<see cref="OperationCanceledException"/>) stay distinct.
/// A closed connection is an <see cref="EndOfStreamException"/>; broken framing a <see cref="FormatException"/>.
/// </summary>
internal sealed class RtmpSession : IAsyncDisposable
{
    // What the spec's example servers ask for; the server's Window Acknowledgement Size replaces it.
    private const uint DefaultWindow = 2_500_000;

    private readonly CountingStream _stream;
    private readonly PipeReader _input;
    private readonly ChunkReader _chunks = new();
    private readonly ChunkWriter _output = new();
    private readonly CancellationTokenSource _timer;
    private readonly CancellationToken _caller;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdingBuffer;
    private bool _inputEnded;
    private uint _window = DefaultWindow;
    private uint _windowSent;
    private long _acknowledged;

    private RtmpSession(Stream transport, CancellationToken cancellationToken)
    {
        _stream = new CountingStream(transport);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096));
        _caller = cancellationToken;
        _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public long BytesReceived => _stream.BytesRead;

    public long BytesSent => _stream.BytesWritten;

    /// <summary>Messages we sent (commands and control messages); the handshake is not a message.</summary>
    public int MessagesSent { get; private set; }

    public ChunkWriter Output => _output;

    /// <summary>Connects within <paramref name="timeout"/>; socket failures are thrown as they are, a fired timer as <see cref="TimeoutException"/>.</summary>
    public static async Task<RtmpSession> ConnectAsync(AddressResolver resolver, RtmpUrl url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            var addresses = await resolver.ResolveAsync(url.Host, timer.Token).ConfigureAwait(false);
            var transport = await TcpTransport.ConnectAsync(addresses, url.Port, SourceAddresses.Current, timer.Token).ConfigureAwait(false);
            return new RtmpSession(transport, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            resolver.Forget();
            throw new TimeoutException($"connecting to {url.Host}:{url.Port} took longer than {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            resolver.Forget();
            throw;
        }
    }

    /// <summary>Sends C0 C1, waits for S0 S1 S2, sends C2. What follows S2 stays in the pipe for the chunk reader.</summary>
    public async Task HandshakeAsync(TimeSpan timeout)
    {
        var handshake = new RtmpHandshake((uint)Environment.TickCount);
        await WriteAsync(handshake.C0C1, timeout).ConfigureAwait(false);
        while (true)
        {
            var result = await ReadPipeAsync(timeout).ConfigureAwait(false);
            if (result.Buffer.Length >= RtmpHandshake.ResponseSize)
            {
                // A bad S0 shows in the first byte: check it before waiting for 3073 bytes a garbage peer may never send.
                var c2 = handshake.Answer(result.Buffer);
                _input.AdvanceTo(result.Buffer.GetPosition(RtmpHandshake.ResponseSize));
                await WriteAsync(c2, timeout).ConfigureAwait(false);
                return;
            }
            if (result.Buffer.FirstSpan[0] != RtmpHandshake.Version)
            {
                throw new FormatException($"S0 asks for RTMP version {result.Buffer.FirstSpan[0]}, not {RtmpHandshake.Version}");
            }
            if (result.IsCompleted)
            {
                throw new EndOfStreamException($"the server closed the connection after {result.Buffer.Length} of the handshake's {RtmpHandshake.ResponseSize} bytes");
            }
            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>
    /// The next message the player must see, within <paramref name="timeout"/>. Chunking and flow control
    /// messages are handled here and not returned; the payload is valid until the next call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]  // called per message: no box per await
    public async ValueTask<RtmpMessage> ReadMessageAsync(TimeSpan timeout)
    {
        while (true)
        {
            if (_holdingBuffer)
            {
                var reader = new SequenceReader<byte>(_buffer);
                if (_chunks.TryReadMessage(ref reader, out var message))
                {
                    _buffer = _buffer.Slice(reader.Position);
                    if (!await HandleControlAsync(message, timeout).ConfigureAwait(false))
                    {
                        return message;
                    }
                    continue;
                }
                _input.AdvanceTo(reader.Position, _buffer.End);
                _holdingBuffer = false;
                if (_inputEnded)
                {
                    throw new EndOfStreamException("the server closed the connection");
                }
            }
            var result = await ReadPipeAsync(timeout).ConfigureAwait(false);
            _buffer = result.Buffer;
            _inputEnded = result.IsCompleted;
            _holdingBuffer = true;
            await AcknowledgeAsync(timeout).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the messages queued on <see cref="Output"/> in one write.</summary>
    public async ValueTask FlushAsync(TimeSpan timeout)
    {
        if (_output.PendingMessages == 0)
        {
            return;
        }
        await WriteAsync(_output.Pending, timeout).ConfigureAwait(false);
        MessagesSent += _output.PendingMessages;
        _output.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _timer.Dispose();
    }

    /// <summary>True when the message was a control message handled here.</summary>
    private async ValueTask<bool> HandleControlAsync(RtmpMessage message, TimeSpan timeout)
    {
        var payload = message.Payload.Span;
        switch (message.TypeId)
        {
            case RtmpMessageType.SetChunkSize or RtmpMessageType.Abort or RtmpMessageType.Acknowledgement:
                return true;  // chunking ones are applied by the chunk reader; the server's acks need nothing
            case RtmpMessageType.WindowAcknowledgementSize when payload.Length >= 4:
                _window = Math.Max(1, BinaryPrimitives.ReadUInt32BigEndian(payload));
                return true;
            case RtmpMessageType.SetPeerBandwidth when payload.Length >= 4:
                // The peer limits what we send; the spec asks us to answer with our Window Acknowledgement
                // Size when it differs from the last we sent (a viewer sends too little for the limit to matter).
                var bandwidth = BinaryPrimitives.ReadUInt32BigEndian(payload);
                if (bandwidth != _windowSent)
                {
                    _windowSent = bandwidth;
                    _output.Control(RtmpMessageType.WindowAcknowledgementSize, bandwidth);
                    await FlushAsync(timeout).ConfigureAwait(false);
                }
                return true;
            case RtmpMessageType.UserControl when payload.Length >= 6
                && BinaryPrimitives.ReadUInt16BigEndian(payload) == UserControlEvent.PingRequest:
                _output.UserControl(UserControlEvent.PingResponse, BinaryPrimitives.ReadUInt32BigEndian(payload[2..]));
                await FlushAsync(timeout).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Sends an Acknowledgement each time the bytes received since the last one reach the server's window.</summary>
    private async ValueTask AcknowledgeAsync(TimeSpan timeout)
    {
        if (BytesReceived - _acknowledged < _window)
        {
            return;
        }
        _acknowledged = BytesReceived;
        _output.Control(RtmpMessageType.Acknowledgement, unchecked((uint)BytesReceived));  // the sequence number wraps at 2^32
        await FlushAsync(timeout).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadPipeAsync(TimeSpan timeout)
    {
        _timer.CancelAfter(timeout);
        try
        {
            var result = await _input.ReadAsync(_timer.Token).ConfigureAwait(false);
            if (result.Buffer.IsEmpty && result.IsCompleted)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
            return result;
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _timer.CancelAfter(Timeout.Infinite);
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, TimeSpan timeout)
    {
        _timer.CancelAfter(timeout);
        try
        {
            await _stream.WriteAsync(bytes, _timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw new TimeoutException($"sending took longer than {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _timer.CancelAfter(Timeout.Infinite);
        }
    }
}
