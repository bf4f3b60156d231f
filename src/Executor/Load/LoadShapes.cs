using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Load;

/// <summary>Picks the shape of a stage's pressure_mode; one small type per shape.</summary>
public static class LoadShapes
{
    public static object For(StageSpec stage, int index) => stage.PressureMode switch
    {
        0 => new ConstantOrRampingUsers(stage),
        1 => new ConstantOrRampingArrivals(stage),
        _ => throw new ScriptException($"stages[{index}].pressure_mode {stage.PressureMode} is not supported by this executor yet (0 concurrency, 1 TPS are)"),
    };
}
