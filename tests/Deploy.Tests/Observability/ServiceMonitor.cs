using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace PerfTest.Deploy.Tests.Observability;

/// <summary>The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), as far as our manifests use it: read strictly, a field not here fails.</summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The key of <see cref="KubernetesYaml"/>'s type map: apiVersion/kind.</summary>
    public const string TypeKey = "monitoring.coreos.com/v1/ServiceMonitor";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string Port { get; set; } = "";

    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("interval")]
    public string Interval { get; set; } = "";
}
