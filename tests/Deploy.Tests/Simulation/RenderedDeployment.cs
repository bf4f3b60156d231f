using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace PerfTest.Deploy.Tests.Simulation;

/// <summary>
/// A Deployment or StatefulSet of the rendered overlay, with the one container the simulation runs: what a kubelet
/// would make of its pod template for a pod of a given name and address — command, environment (values,
/// <c>$(VAR)</c> references, Secrets, ConfigMaps, the downward API), user, readiness probe and grace period.
/// </summary>
internal sealed partial class RenderedDeployment
{
    private readonly IReadOnlyList<V1Secret> _secrets;
    private readonly IReadOnlyList<V1ConfigMap> _configMaps;

    private RenderedDeployment(string name, string ns, int replicas, V1PodSpec pod, IReadOnlyList<V1Secret> secrets, IReadOnlyList<V1ConfigMap> configMaps)
    {
        Name = name;
        Namespace = ns;
        Replicas = replicas;
        Pod = pod;
        Container = pod.Containers.Count == 1 ? pod.Containers[0]
            : throw new NotSupportedException($"{name}: the simulation runs pods of one container, this one has {pod.Containers.Count}");
        _secrets = secrets;
        _configMaps = configMaps;
    }

    public string Name { get; }

    public string Namespace { get; }

    public int Replicas { get; }

    public V1PodSpec Pod { get; }

    public V1Container Container { get; }

    /// <summary>
    /// Sets the value of the container's <c>env</c> entry <paramref name="name"/>, as an operator's patch of the overlay
    /// would; the manifests must have the entry.
    /// </summary>
    public void SetEnv(string name, string value)
    {
        var entry = Container.Env?.SingleOrDefault(e => e.Name == name)
            ?? throw new InvalidOperationException($"{Name}: container {Container.Name} has no env entry {name} to set");
        entry.Value = value;
    }

    /// <summary>The pod's <c>terminationGracePeriodSeconds</c> (Kubernetes' default 30 s when unset).</summary>
    public TimeSpan TerminationGracePeriod => TimeSpan.FromSeconds(Pod.TerminationGracePeriodSeconds ?? 30);

    /// <summary>The user the container runs as: the container's securityContext, else the pod's.</summary>
    public long? RunAsUser => Container.SecurityContext?.RunAsUser ?? Pod.SecurityContext?.RunAsUser;

    public long? RunAsGroup => Container.SecurityContext?.RunAsGroup ?? Pod.SecurityContext?.RunAsGroup;

    /// <summary>The readiness probe's HTTP GET path and port number (a named port resolved from the container's ports).</summary>
    public (string Path, int Port) ReadinessProbe
    {
        get
        {
            var get = Container.ReadinessProbe?.HttpGet ?? throw new NotSupportedException($"{Name}: no HTTP GET readiness probe");
            return (get.Path, ContainerPort(get.Port.Value));
        }
    }

    /// <param name="rendered">The rendered overlay.</param>
    /// <param name="name">The Deployment's or StatefulSet's name.</param>
    /// <param name="secrets">The Secrets of the cluster: the rendered ones and those created beside the manifests.</param>
    public static RenderedDeployment Of(Rendered rendered, string name, IReadOnlyList<V1Secret> secrets)
    {
        var configMaps = rendered.All<V1ConfigMap>().ToList();
        var allSecrets = rendered.All<V1Secret>().Concat(secrets).ToList();
        if (rendered.All<V1Deployment>().SingleOrDefault(d => d.Metadata.Name == name) is { } deployment)
        {
            return new RenderedDeployment(name, deployment.Metadata.NamespaceProperty, deployment.Spec.Replicas ?? 1, deployment.Spec.Template.Spec,
                allSecrets, configMaps);
        }
        var set = rendered.All<V1StatefulSet>().SingleOrDefault(s => s.Metadata.Name == name)
            ?? throw new InvalidOperationException($"the overlay renders no Deployment or StatefulSet {name}");
        return new RenderedDeployment(name, set.Metadata.NamespaceProperty, set.Spec.Replicas ?? 1, set.Spec.Template.Spec, allSecrets, configMaps);
    }

    /// <summary>The number of a container port given by number or by name.</summary>
    public int ContainerPort(string port) =>
        int.TryParse(port, out var number) ? number
            : Container.Ports?.SingleOrDefault(p => p.Name == port)?.ContainerPort
              ?? throw new InvalidOperationException($"{Name}: container {Container.Name} has no port named {port}");

    /// <summary>
    /// The container's environment for a pod: the image's, then the container's <c>env</c> in order, each value with the
    /// <c>$(VAR)</c> references to variables defined before it in <c>env</c> expanded (<c>$$</c> is a <c>$</c>; an
    /// unknown reference stays as written), as the kubelet does. A missing Secret, ConfigMap or key fails, as the kubelet
    /// refuses to start such a container (CreateContainerConfigError).
    /// </summary>
    public Dictionary<string, string> Environment(ContainerImage? image, string podName, IPAddress podIp)
    {
        var env = new Dictionary<string, string>(image?.Environment ?? new Dictionary<string, string>());
        var defined = new Dictionary<string, string>();
        foreach (var variable in Container.Env ?? [])
        {
            var value = variable.ValueFrom is { } from ? ValueFrom(from, podName, podIp) : Expand(variable.Value ?? "", defined);
            defined[variable.Name] = value;
            env[variable.Name] = value;
        }
        return env;
    }

    /// <summary>The command line: the container's command and args, else the image's ENTRYPOINT and CMD; <c>$(VAR)</c> expanded.</summary>
    public IReadOnlyList<string> CommandLine(ContainerImage? image, IReadOnlyDictionary<string, string> env)
    {
        var command = Container.Command?.ToList() ?? image?.Entrypoint.ToList() ?? [];
        var args = Container.Args?.ToList() ?? (Container.Command is null ? image?.Cmd.ToList() : null) ?? [];
        var defined = env.ToDictionary(e => e.Key, e => e.Value);
        return command.Concat(args).Select(a => Expand(a, defined)).ToList();
    }

    private string ValueFrom(V1EnvVarSource from, string podName, IPAddress podIp)
    {
        if (from.SecretKeyRef is { } secretRef)
        {
            var secret = _secrets.SingleOrDefault(s => s.Metadata.Name == secretRef.Name)
                ?? throw new InvalidOperationException($"{Name}: Secret {secretRef.Name} does not exist");
            return secret.Data?.TryGetValue(secretRef.Key, out var bytes) == true ? Encoding.UTF8.GetString(bytes)
                : secret.StringData?.TryGetValue(secretRef.Key, out var text) == true ? text
                : throw new InvalidOperationException($"{Name}: Secret {secretRef.Name} has no key {secretRef.Key}");
        }
        if (from.ConfigMapKeyRef is { } mapRef)
        {
            var map = _configMaps.SingleOrDefault(m => m.Metadata.Name == mapRef.Name)
                ?? throw new InvalidOperationException($"{Name}: ConfigMap {mapRef.Name} does not exist");
            return map.Data?.TryGetValue(mapRef.Key, out var value) == true ? value
                : throw new InvalidOperationException($"{Name}: ConfigMap {mapRef.Name} has no key {mapRef.Key}");
        }
        return from.FieldRef?.FieldPath switch
        {
            "status.podIP" => podIp.ToString(),
            "metadata.name" => podName,
            "metadata.namespace" => Namespace,
            var other => throw new NotSupportedException($"{Name}: the simulation does not provide valueFrom {other ?? "(resourceFieldRef)"}"),
        };
    }

    private static string Expand(string value, Dictionary<string, string> defined) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
