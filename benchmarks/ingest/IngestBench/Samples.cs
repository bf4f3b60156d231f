using PerfTest.Executor.Contract;
using PerfTest.Executor.Grpc;
using PerfTest.Executor.Running;
using PerfTest.Metrics;
using PerfTest.Protocols;

namespace PerfTest.IngestBench;

/// <summary>
/// Seconds as a real executor sends them for a plan's cards: recorded into a RunRecorder (20 requests per card,
/// 1-400 ms log-uniform, 1 % timeouts) and mapped as the executor maps them. A few distinct ones, reused.
/// </summary>
internal static class Samples
{
    public static SecondSnapshot[] For(IReadOnlyList<MetricKey> keys, int count = 4)
    {
        var random = new Random(7);
        var requests = keys.Count(k => k.Kind == MetricKeyKind.Request);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var recorder = new RunRecorder(keys.Count, requests);
            recorder.SetVirtualUsers(10);
            for (var card = 0; card < requests; card++)
            {
                for (var i = 0; i < 20; i++)
                {
                    var outcome = random.Next(100) == 0 ? Outcome.Timeout : Outcome.Success;
                    recorder.Record(card, (long)(1_000 * Math.Exp(random.NextDouble() * Math.Log(400))), new RequestResult(outcome, 200, 120, 900));
                }
            }
            return SnapshotMapper.ToProto(recorder.Rotate(0), stageIndex: 0);
        })];
    }

    /// <summary>The requests of the whole case (key -1) in a second: what the report adds up.</summary>
    public static long CaseRequests(SecondSnapshot second) => second.Keys.Where(k => k.Key == KeySnapshot.CaseKey).Sum(k => k.Requests);
}
