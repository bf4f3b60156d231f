namespace PerfTest.ControlPlane.Runs;

/// <summary>Section "Debug": debug runs of a case (DebugEndpoints).</summary>
public sealed class DebugOptions
{
    /// <summary>
    /// At most this many bytes of each answer of a debug run are kept by the executor, cut while reading, so that a
    /// huge or endless answer cannot fill its memory; the debug answer says when a body was cut.
    /// </summary>
    public int MaxCaptureBytes { get; set; } = 1024 * 1024;
}
