using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;
using Xunit;

namespace PerfTest.Executor.Tests.Running;

/// <summary>A stage's iterations: counted as they are taken, bounded by a budget a reshare may replace mid-stage.</summary>
public sealed class StageBudgetTests
{
    private static StageContext Context(StageSpec stage) =>
        new(stage, new CompiledScript([], [], [], 0), new RunRecorder(1), TimeProvider.System, CancellationToken.None, CancellationToken.None);

    [Fact]
    public void A_new_budget_applies_to_the_next_start_and_a_budget_below_the_taken_starts_no_more()
    {
        var context = Context(new StageSpec { OperateMode = 1, Count = 10, ExecutorIndex = 0, ExecutorCount = 2 });
        Assert.True(context.TakeIteration() && context.TakeIteration() && context.TakeIteration());

        context.SetBudget(4);
        Assert.True(context.TakeIteration());
        Assert.False(context.TakeIteration());
        Assert.False(context.IterationsLeft);

        context.SetBudget(2);
        Assert.False(context.TakeIteration());
        Assert.Equal(4, context.Taken);

        context.SetBudget(5);
        Assert.True(context.TakeIteration());
        Assert.Equal(5, context.Taken);
    }

    [Fact]
    public void A_time_mode_stage_counts_its_starts_and_ignores_budgets()
    {
        var context = Context(new StageSpec { OperateMode = 0, DurationSeconds = 5 });
        context.SetBudget(0);
        Assert.True(context.TakeIteration() && context.TakeIteration());
        Assert.Equal(2, context.Taken);
    }
}
