using System.Collections.Concurrent;
using PerfTest.Executor.Scripting.Variables;
using Xunit;
using static PerfTest.Executor.Tests.Variables.VariableTestJson;

namespace PerfTest.Executor.Tests.Variables;

public sealed class VariableCursorTests
{
    public static TheoryData<int, int> ValuesAndExecutors()
    {
        var data = new TheoryData<int, int>();
        foreach (var values in new[] { 1, 3, 5, 7, 10, 12 })
        {
            for (var executors = 1; executors <= 5; executors++)
            {
                data.Add(values, executors);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValuesAndExecutors))]
    public void Executors_partition_sequential_values_so_a_cycle_draws_each_value_once_across_the_run(int values, int executors)
    {
        var runs = Enumerable.Range(0, executors)
            .Select(i => Parse($"[{One("n", 1, $"[1, {values}]")}]", i, executors))
            .ToList();
        var cursors = Enumerable.Range(0, executors).Select(i => new SequentialCursor(values, i, executors)).ToList();
        if (values >= executors)
        {
            // One cycle: each executor draws its whole partition; together that is every value exactly once.
            var drawn = runs.Select((v, i) => Draw(v, "n", (int)cursors[i].PartitionSize)).ToList();
            Assert.Equal(Enumerable.Range(1, values).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                drawn.SelectMany(d => d).OrderBy(int.Parse));
            // Executor i takes i, i + n, i + 2n, ... and then wraps within that partition.
            for (var i = 0; i < executors; i++)
            {
                var expected = Enumerable.Range(0, (int)cursors[i].PartitionSize).Select(k => (1 + i + k * executors).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(expected, drawn[i]);
                Assert.Equal(drawn[i], Draw(runs[i], "n", drawn[i].Count));
            }
            Assert.True(cursors.Max(c => c.PartitionSize) - cursors.Min(c => c.PartitionSize) <= 1);
        }
        else
        {
            // Fewer values than executors: executor i repeats value i mod count.
            for (var i = 0; i < executors; i++)
            {
                Assert.All(Draw(runs[i], "n", 3), v => Assert.Equal((1 + i % values).ToString(System.Globalization.CultureInfo.InvariantCulture), v));
            }
        }
    }

    [Theory]
    [InlineData(0, "a,b", 0)] // case mode: the second case run starts over on a cursor of its own
    [InlineData(1, "c,a", 1)] // concurrent mode: it continues the first case run's cursor
    public void Share_mode_decides_whether_case_runs_of_one_run_share_a_cursor(int share, string secondDraws, int sharedCursors)
    {
        var registry = new VariableCursorRegistry();
        var json = $"""[{One("e", 2, """["a", "b", "c"]""", share: share)}]""";
        var caseA = Parse(json, shared: registry);
        var caseB = Parse(json, shared: registry);
        Assert.Equal(["a", "b"], Draw(caseA, "e", 2));
        Assert.Equal(secondDraws.Split(','), Draw(caseB, "e", 2));
        Assert.Equal(sharedCursors, registry.Count);
        // A new run has a new registry and so starts over.
        Assert.Equal(["a"], Draw(Parse(json, shared: new VariableCursorRegistry()), "e", 1));
    }

    [Fact]
    public void Share_mode_1_keeps_differently_defined_variables_of_one_name_apart()
    {
        var registry = new VariableCursorRegistry();
        var small = Parse($"[{One("n", 1, "[1, 2]", share: 1)}]", shared: registry);
        var large = Parse($"[{One("n", 1, "[1, 100]", share: 1)}]", shared: registry);
        Assert.Equal(["1", "2", "1"], Draw(small, "n", 3));
        Assert.Equal(["1", "2", "3"], Draw(large, "n", 3));
        Assert.Equal(2, registry.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Parallel_sequential_draws_over_k_full_cycles_give_each_value_exactly_k_times(int share)
    {
        const int values = 37, cycles = 200;
        var registry = new VariableCursorRegistry();
        var json = $"[{One("n", 1, $"[0, {values - 1}]", share: share)}]";
        // Several case runs when shared (all on one cursor); otherwise one case run's VUs on its cursor.
        var runs = Enumerable.Range(0, share == 1 ? 4 : 1).Select(_ => Parse(json, shared: registry)).ToArray();
        var counts = new int[values];
        Parallel.For(0, values * cycles, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Interlocked.Increment(ref counts[int.Parse(runs[i % runs.Length].Next("n"), System.Globalization.CultureInfo.InvariantCulture)]));
        Assert.All(counts, c => Assert.Equal(cycles, c));
    }

    [Fact]
    public void Parallel_draws_from_several_threads_of_a_partitioned_executor_stay_in_its_partition()
    {
        var vars = Parse($"[{One("n", 1, "[0, 29]")}]", executorIndex: 2, executorCount: 3);
        var seen = new ConcurrentDictionary<int, int>();
        Parallel.For(0, 10 * 50, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
            seen.AddOrUpdate(int.Parse(vars.Next("n"), System.Globalization.CultureInfo.InvariantCulture), 1, (_, c) => c + 1));
        Assert.Equal([2, 5, 8, 11, 14, 17, 20, 23, 26, 29], seen.Keys.Order());
        Assert.All(seen.Values, c => Assert.Equal(50, c));
    }
}
