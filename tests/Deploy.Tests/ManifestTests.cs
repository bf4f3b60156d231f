using k8s.Models;
using Xunit;

namespace PerfTest.Deploy.Tests;

/// <summary>
/// What docs/deployment.md promises of each overlay, checked on the rendered objects. These read manifests;
/// no cluster runs here (containers cannot run on these machines).
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Overlays => new() { "dev", "production" };

    private static readonly Type[] Kinds =
    [
        typeof(V1Namespace), typeof(V1Secret), typeof(V1Service), typeof(V1Deployment), typeof(V1StatefulSet),
        typeof(V1PersistentVolumeClaim), typeof(V1PodDisruptionBudget), typeof(Observability.ServiceMonitor),
    ];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_object_is_a_kind_we_mean_and_lives_in_the_overlays_namespace(string overlay)
    {
        var rendered = Rendered.Overlay(overlay);
        var ns = Assert.Single(rendered.All<V1Namespace>()).Metadata.Name;
        Assert.All(rendered.Objects, o => Assert.Contains(o.GetType(), Kinds));
        Assert.All(rendered.Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Both_images_run_as_a_numeric_non_root_user()
    {
        // A numeric UID: runAsNonRoot can only verify a number, and a name would fail the pod at start.
        Assert.All(Simulation.ContainerImage.Names, image =>
        {
            var user = Simulation.ContainerImage.Of(image).User;
            Assert.True(int.TryParse(user, out var uid) && uid > 0, $"{image}: USER {user}");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_runs_as_non_root_on_a_read_only_root_with_requests_and_limits(string overlay)
    {
        var containers = Rendered.Overlay(overlay).Containers().ToList();
        Assert.NotEmpty(containers);
        Assert.All(containers, c =>
        {
            Assert.True(c.Pod.SecurityContext?.RunAsNonRoot, $"{c.Owner}: runAsNonRoot");
            Assert.True(c.Pod.SecurityContext?.RunAsUser > 0, $"{c.Owner}: runAsUser");
            Assert.True(c.Container.SecurityContext?.ReadOnlyRootFilesystem, $"{c.Owner}: readOnlyRootFilesystem");
            Assert.False(c.Container.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{c.Owner}: allowPrivilegeEscalation");
            Assert.Equal(["ALL"], c.Container.SecurityContext?.Capabilities?.Drop ?? []);
            Assert.True(c.Container.Resources?.Requests?.ContainsKey("cpu") == true && c.Container.Resources.Requests.ContainsKey("memory"), $"{c.Owner}: requests");
            Assert.True(c.Container.Resources?.Limits?.ContainsKey("cpu") == true && c.Container.Resources.Limits.ContainsKey("memory"), $"{c.Owner}: limits");
            Assert.NotNull(c.Container.LivenessProbe);
            Assert.NotNull(c.Container.ReadinessProbe);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Control_plane_and_executors_are_probed_on_their_health_endpoints(string overlay)
    {
        var rendered = Rendered.Overlay(overlay);
        foreach (var name in new[] { "perftest-control-plane", "perftest-executor" })
        {
            var container = Assert.Single(rendered.Deployment(name).Spec.Template.Spec.Containers);
            Assert.Equal("/healthz/live", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/healthz/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.Contains(container.Ports, p => p.Name == container.ReadinessProbe.HttpGet.Port.Value);
            Assert.Equal(container.ReadinessProbe.HttpGet.Port.Value, container.LivenessProbe.HttpGet.Port.Value);
        }
        // The executor's probes on its HTTP/1.1 health listener, not on the HTTP/2-only gRPC port.
        var executor = Assert.Single(rendered.Deployment("perftest-executor").Spec.Template.Spec.Containers);
        var health = executor.Ports.Single(p => p.Name == executor.ReadinessProbe.HttpGet.Port.Value).ContainerPort;
        Assert.Equal($"http://0.0.0.0:{health}", executor.Env.Single(e => e.Name == "Executor__HealthUrl").Value);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Executors_advertise_their_pod_ip_and_find_the_control_plane_by_its_service(string overlay)
    {
        var rendered = Rendered.Overlay(overlay);
        var executor = Assert.Single(rendered.Deployment("perftest-executor").Spec.Template.Spec.Containers);
        var env = executor.Env.ToDictionary(e => e.Name);
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.StartsWith("http://$(POD_IP):", env["Executor__AdvertisedUrl"].Value, StringComparison.Ordinal);
        var controlPlaneUrl = new Uri(env["Executor__ControlPlaneUrl"].Value);
        var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == controlPlaneUrl.Host);
        var grpcPort = Assert.Single(service.Spec.Ports, p => p.Port == controlPlaneUrl.Port);
        var controlPlane = Assert.Single(rendered.Deployment("perftest-control-plane").Spec.Template.Spec.Containers);
        Assert.Contains(controlPlane.Ports, p => p.Name == grpcPort.TargetPort.Value);
        Assert.Equal(service.Spec.Selector, rendered.Deployment("perftest-control-plane").Spec.Template.Metadata.Labels
            .Where(l => service.Spec.Selector.ContainsKey(l.Key)).ToDictionary());
        // The same secret on both sides.
        var secret = env["Executor__SharedSecret"].ValueFrom.SecretKeyRef;
        var cpSecret = controlPlane.Env.Single(e => e.Name == "Executors__SharedSecret").ValueFrom.SecretKeyRef;
        Assert.Equal((secret.Name, secret.Key), (cpSecret.Name, cpSecret.Key));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Disruption_budgets_select_pods_that_exist(string overlay)
    {
        var rendered = Rendered.Overlay(overlay);
        var budgets = rendered.All<V1PodDisruptionBudget>().ToList();
        Assert.NotEmpty(budgets);
        Assert.All(budgets, b =>
        {
            var selected = Assert.Single(rendered.All<V1Deployment>(), d =>
                b.Spec.Selector.MatchLabels.All(l => d.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
            // A budget as large as the replicas would block every node drain.
            Assert.True(selected.Spec.Replicas > int.Parse(b.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture), b.Metadata.Name);
        });
    }

    [Fact]
    public void Dev_keeps_sqlite_on_a_volume_and_generates_the_secrets_it_refers_to()
    {
        var rendered = Rendered.Overlay("dev");
        var controlPlane = rendered.Deployment("perftest-control-plane");
        Assert.Equal(1, controlPlane.Spec.Replicas);
        Assert.Equal("Recreate", controlPlane.Spec.Strategy.Type);
        var container = Assert.Single(controlPlane.Spec.Template.Spec.Containers);
        var path = container.Env.Single(e => e.Name == "Storage__SqlitePath").Value;
        var mount = Assert.Single(container.VolumeMounts, m => path.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = controlPlane.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        Assert.Contains(rendered.All<V1PersistentVolumeClaim>(), c => c.Metadata.Name == volume.PersistentVolumeClaim.ClaimName);
        var secrets = rendered.All<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();
        Assert.All(rendered.Containers().SelectMany(c => c.Container.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null),
            e => Assert.Contains(e.ValueFrom.SecretKeyRef.Name, secrets));
    }

    [Fact]
    public void Production_runs_the_control_plane_on_postgres_from_a_stateful_set_and_ships_no_secret()
    {
        var rendered = Rendered.Overlay("production");
        Assert.Empty(rendered.All<V1Secret>());  // credentials are the operator's, created in the cluster
        var postgres = Assert.Single(rendered.All<V1StatefulSet>());
        var data = Assert.Single(postgres.Spec.VolumeClaimTemplates);
        Assert.Contains(Assert.Single(postgres.Spec.Template.Spec.Containers).VolumeMounts, m => m.Name == data.Metadata.Name);
        var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == postgres.Spec.ServiceName);
        var env = Assert.Single(rendered.Deployment("perftest-control-plane").Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);
        Assert.Equal("Postgres", env["Storage__Provider"].Value);
        Assert.Contains($"Host={service.Metadata.Name};", env["ConnectionStrings__Postgres"].Value, StringComparison.Ordinal);
        Assert.Contains("Password=$(POSTGRES_PASSWORD)", env["ConnectionStrings__Postgres"].Value, StringComparison.Ordinal);
        Assert.NotNull(env["POSTGRES_PASSWORD"].ValueFrom.SecretKeyRef);
        // $(VAR) expands only from variables defined before it in the list.
        var names = env.Keys.ToList();
        Assert.True(names.IndexOf("POSTGRES_PASSWORD") < names.IndexOf("ConnectionStrings__Postgres"));
    }

    [Fact]
    public void Production_runs_two_control_plane_replicas_that_update_one_at_a_time_under_a_disruption_budget()
    {
        var rendered = Rendered.Overlay("production");
        var controlPlane = rendered.Deployment("perftest-control-plane");
        Assert.Equal(2, controlPlane.Spec.Replicas);
        // A new pod is ready before an old one goes: one replica serves the API and the executors throughout.
        Assert.Equal("RollingUpdate", controlPlane.Spec.Strategy.Type);
        Assert.Equal("0", controlPlane.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        var budget = Assert.Single(rendered.All<V1PodDisruptionBudget>(), b => b.Metadata.Name == "perftest-control-plane");
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        // Replicas own their runs apart: each has its own lease owner name.
        var instanceId = Assert.Single(controlPlane.Spec.Template.Spec.Containers).Env.Single(e => e.Name == "Runs__InstanceId");
        Assert.Equal("metadata.name", instanceId.ValueFrom.FieldRef.FieldPath);
    }

    /// <summary>
    /// Every overlay allows a private range as targets (the cluster's Services), one the target policy can read, and
    /// neither link-local nor a cloud metadata address is in it (those are refused whatever it says, but a manifest that
    /// seemed to allow them would mislead).
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_control_plane_allows_a_private_service_range_as_targets_and_nothing_link_local(string overlay)
    {
        var env = Assert.Single(Rendered.Overlay(overlay).Deployment("perftest-control-plane").Spec.Template.Spec.Containers).Env;
        var allowed = env.Where(e => e.Name.StartsWith("Targets__Allow__", StringComparison.Ordinal)).Select(e => e.Value).ToList();
        var networks = PerfTest.Protocols.Targets.TargetList.Parse(allowed).Networks;
        Assert.NotEmpty(networks);
        Assert.All(networks, n => Assert.Equal(PerfTest.Protocols.Targets.AddressClass.Private,
            PerfTest.Protocols.Targets.AddressClassifier.Classify(System.Net.IPAddress.Parse(n.ToString().Split('/')[0]))));
        Assert.DoesNotContain(networks, n => n.Contains(System.Net.IPAddress.Parse("169.254.169.254")) || n.Contains(System.Net.IPAddress.Parse("100.100.100.200")));
    }
}
