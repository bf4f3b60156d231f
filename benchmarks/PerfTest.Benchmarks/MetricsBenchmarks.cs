using BenchmarkDotNet.Attributes;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.Benchmarks;

/// <summary>
/// Hot path (Record, must allocate 0 B) and, for information, the once-a-second work of an
/// executor (Rotate + histogram encoding) and of the control plane (merging one snapshot).
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private const int Keys = 10;
    private const int RecordsPerRotate = 1_000;

    private readonly RequestResult _result = new(Outcome.Success, 200, 300, 4_000);
    private RunRecorder _recorder = null!;
    private RunRecorder _rotated = null!;
    private KeySnapshot _snapshot = null!;
    private long _second;

    [GlobalSetup]
    public void Setup()
    {
        _recorder = new RunRecorder(Keys);
        _rotated = new RunRecorder(Keys);
        var source = new RunRecorder(1);
        for (int i = 0; i < 10_000; i++)
        {
            source.Record(0, 100 + (i * 7919L % 200_000), _result);
        }

        _snapshot = source.Rotate(0).FindKey(0)!;
    }

    /// <summary>One Record call (averaged over 1,000 per invocation).</summary>
    [Benchmark(OperationsPerInvoke = 1_000)]
    public void Record()
    {
        var recorder = _recorder;
        for (int i = 0; i < 1_000; i++)
        {
            recorder.Record(i % Keys, 100 + i * 37, _result);
        }
    }

    /// <summary>1,000 Records spread over 10 keys, then Rotate: swap, wait for writers, encode 11 histograms.</summary>
    [Benchmark]
    public IntervalSnapshot RecordThenRotate()
    {
        var recorder = _rotated;
        for (int i = 0; i < RecordsPerRotate; i++)
        {
            recorder.Record(i % Keys, 100 + i * 37, _result);
        }

        return recorder.Rotate(_second++);
    }

    /// <summary>Control plane: decode one key-second (10,000 requests) and merge it into an aggregate.</summary>
    [Benchmark]
    public double MergeSnapshot()
    {
        var aggregate = new MetricAggregate();
        aggregate.Add(_snapshot);
        return aggregate.Percentile(99);
    }
}
