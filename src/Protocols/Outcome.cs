namespace PerfTest.Protocols;

/// <summary>How one request ended, as the report counts it (respcode_brokens, failed* fields).</summary>
public enum Outcome : byte
{
    Success = 0,

    /// <summary>The answer came but a checkpoint on it failed (HTTP: status not 2xx/3xx).</summary>
    CheckpointFailed = 1,

    /// <summary>The answer could not be parsed (bad status line, bad framing, variable extraction failed).</summary>
    ParseFailed = 2,

    /// <summary>The connection was refused or reset before an answer began.</summary>
    Refused = 3,

    /// <summary>Connecting or waiting for the answer took longer than the card allows.</summary>
    Timeout = 4,

    /// <summary>Anything else (DNS failure, TLS failure, connection closed mid-answer...).</summary>
    Other = 5,
}

/// <summary>The result of one request: no allocation, returned by value on the hot path.</summary>
public readonly record struct RequestResult(Outcome Outcome, int StatusCode, long BytesSent, long BytesReceived)
{
    public const int OutcomeCount = 6;
}
