namespace PerfTest.Protocols.Http;

/// <summary>Where the incremental response parser stands after looking at the bytes read so far.</summary>
internal enum ParseStatus : byte
{
    /// <summary>The response is not complete; read more (everything passed in was examined).</summary>
    NeedMoreData,

    /// <summary>The response ended exactly at the returned position.</summary>
    Done,

    /// <summary>The bytes are not a valid HTTP/1.x response; the connection cannot be trusted any more.</summary>
    Error,
}
