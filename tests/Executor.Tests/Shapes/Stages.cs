using System.Text.Json.Nodes;
using PerfTest.Executor.Load;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Planning;

namespace PerfTest.Executor.Tests.Shapes;

/// <summary>Stage parsing and curve sampling on a virtual clock: shapes are pure functions of elapsed time.</summary>
internal static class Stages
{
    public static StageSpec Parse(string json, int executor = 0, int executors = 1, int stageIndex = 0) =>
        StageSpec.From(StageReader.Read((JsonObject)JsonNode.Parse(json)!, stageIndex), executor, executors);

    public static int[] Users(IConcurrencyShape shape, int seconds) =>
        [.. Enumerable.Range(0, seconds).Select(s => shape.UsersAt(TimeSpan.FromSeconds(s)))];

    public static double[] Rates(IArrivalShape shape, int seconds) =>
        [.. Enumerable.Range(0, seconds).Select(s => shape.RateAt(TimeSpan.FromSeconds(s)))];
}
