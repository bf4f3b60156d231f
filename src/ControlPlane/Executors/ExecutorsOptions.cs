namespace PerfTest.ControlPlane.Executors;

/// <summary>Section "Executors": how standalone executors join private resource groups.</summary>
public sealed class ExecutorsOptions
{
    /// <summary>Secret shared with standalone executors; without it no executor can register.</summary>
    public string SharedSecret { get; set; } = "";

    /// <summary>Where executors reach the control plane's gRPC registration service (HTTP/2), e.g. http://127.0.0.1:5081.</summary>
    public string GrpcUrl { get; set; } = "";

    public int HeartbeatSeconds { get; set; } = 2;

    /// <summary>Let HTTPS targets use self-signed certificates.</summary>
    public bool AcceptAnyCertificate { get; set; }
}
