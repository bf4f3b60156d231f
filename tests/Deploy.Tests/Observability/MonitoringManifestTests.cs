using k8s.Models;
using Xunit;

namespace PerfTest.Deploy.Tests.Observability;

/// <summary>What docs/observability.md promises of the manifests: a metrics port on each Service that serves /metrics, and a ServiceMonitor in production.</summary>
public sealed class MonitoringManifestTests
{
    [Fact]
    public void Production_has_a_service_monitor_that_selects_every_metrics_service_on_its_metrics_port()
    {
        var rendered = Rendered.Overlay("production");
        var monitor = Assert.Single(rendered.All<ServiceMonitor>());
        Assert.Equal("monitoring.coreos.com/v1", monitor.ApiVersion);
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal(("metrics", "/metrics"), (endpoint.Port, endpoint.Path));
        var selected = rendered.All<V1Service>()
            .Where(s => monitor.Spec.Selector.MatchLabels.All(l => s.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value))
            .Select(s => s.Metadata.Name).Order().ToList();
        Assert.Equal(["perftest-control-plane", "perftest-executor-metrics"], selected);
        foreach (var name in selected)
        {
            var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == name);
            Assert.Contains(service.Spec.Ports, p => p.Name == "metrics");
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("production")]
    public void The_metrics_ports_reach_the_containers_metrics_listeners(string overlay)
    {
        var rendered = Rendered.Overlay(overlay);
        // The control plane: Metrics__Port is the container port the Service's metrics port targets.
        var controlPlane = Assert.Single(rendered.Deployment("perftest-control-plane").Spec.Template.Spec.Containers);
        var cpService = rendered.All<V1Service>().Single(s => s.Metadata.Name == "perftest-control-plane");
        var cpTarget = cpService.Spec.Ports.Single(p => p.Name == "metrics").TargetPort.Value;
        var cpPort = controlPlane.Ports.Single(p => p.Name == cpTarget).ContainerPort;
        Assert.Equal($"{cpPort}", controlPlane.Env.Single(e => e.Name == "Metrics__Port").Value);
        // The executors: /metrics is on the HTTP/1.1 health listener (Executor__HealthUrl).
        var executor = Assert.Single(rendered.Deployment("perftest-executor").Spec.Template.Spec.Containers);
        var exService = rendered.All<V1Service>().Single(s => s.Metadata.Name == "perftest-executor-metrics");
        Assert.Equal("None", exService.Spec.ClusterIP);
        var exPort = executor.Ports.Single(p => p.Name == exService.Spec.Ports.Single(p => p.Name == "metrics").TargetPort.Value).ContainerPort;
        Assert.Equal($"http://0.0.0.0:{exPort}", executor.Env.Single(e => e.Name == "Executor__HealthUrl").Value);
    }
}
