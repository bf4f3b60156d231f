using System.Diagnostics;
using k8s;
using k8s.Models;

namespace PerfTest.Deploy.Tests;

/// <summary>An overlay of deploy/kubernetes rendered by <c>kubectl kustomize</c> and read strictly: a field the models do not know fails.</summary>
internal sealed class Rendered
{
    private Rendered(IReadOnlyList<object> objects) => Objects = objects;

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public V1Deployment Deployment(string name) => All<V1Deployment>().Single(d => d.Metadata.Name == name);

    /// <summary>Every container of every pod template (Deployments and StatefulSets).</summary>
    public IEnumerable<(string Owner, V1PodSpec Pod, V1Container Container)> Containers() =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
            .SelectMany(p => p.Spec.Containers.Select(c => (p.Name, p.Spec, c)));

    /// <summary>The kinds beyond Kubernetes' own that the overlays hold: the Prometheus Operator's ServiceMonitor.</summary>
    private static readonly Dictionary<string, Type> TypeMap = new() { [Observability.ServiceMonitor.TypeKey] = typeof(Observability.ServiceMonitor) };

    public static Rendered Overlay(string name)
    {
        var dir = Path.Combine(RepositoryRoot(), "deploy", "kubernetes", "overlays", name);
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(dir);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start (Debian package kubectl)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {dir} failed ({process.ExitCode}): {stderr}");
        }
        return new Rendered(KubernetesYaml.LoadAllFromString(stdout.Result, TypeMap, strict: true));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfTest.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PerfTest.sln not found above " + AppContext.BaseDirectory);
    }
}
