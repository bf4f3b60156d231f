using PerfTest.Executor.Plan;
using PerfTest.Executor.Scripting;

namespace PerfTest.Executor.Load;

/// <summary>
/// Picks the shape of a stage's pressure_mode; one small type per shape. Called when a plan is
/// compiled, so a stage that cannot run is refused before any request, naming the field.
/// </summary>
public static class LoadShapes
{
    /// <summary>The shape of <paramref name="stage"/> (stages[<paramref name="index"/>] in messages): an
    /// <see cref="IArrivalShape"/> in TPS modes (<see cref="IsTps"/>), an <see cref="IConcurrencyShape"/> otherwise;
    /// an <see cref="IManualShape"/> too when the stage is manually regulated.</summary>
    /// <exception cref="ScriptException">The stage's pressure_mode is unknown or its fields do not fit it.</exception>
    public static ILoadShape For(StageSpec stage, int index)
    {
        if (stage.PressureMode is < 0 or > 7)
        {
            throw new ScriptException($"stages[{index}].pressure_mode {stage.PressureMode} is not supported (0-7 are)");
        }
        var tps = IsTps(stage.PressureMode);
        if (stage.Manual)
        {
            // A manual stage holds one level: the automatic curve's parameters play no part.
            var level = ManualLevel.Initial(stage, tps);
            return tps ? new ManualArrivals(stage, level) : new ManualUsers(stage, level);
        }
        Validate(stage, $"stages[{index}]");
        return stage.PressureMode switch
        {
            0 or 2 => new ConstantOrRampingUsers(stage),
            1 => new ConstantOrRampingArrivals(stage),
            3 => new SurgeUsers(stage),
            4 => new SurgeArrivals(stage),
            5 => new FlappingUsers(stage),
            6 => new FlappingArrivals(stage),
            _ => new SteppedUsers(stage),
        };
    }

    /// <summary>TPS modes run the open model; the others the closed one.</summary>
    public static bool IsTps(int pressureMode) => pressureMode is 1 or 4 or 6;

    private static void Validate(StageSpec stage, string path)
    {
        switch (stage.PressureMode)
        {
            case 3 or 4 or 5 or 6:
                ValidateWave(stage, path);
                break;
            case 7:
                Require(stage.StepSize >= 1, $"{path}.step_size must be at least 1 in pressure_mode 7");
                Require(stage.StepDurationSeconds >= 1, $"{path}.step_duration must be at least 1 second in pressure_mode 7");
                Require(stage.IssueNum >= 1, $"{path}.issue_num (the most VUs the steps climb to) must be at least 1 in pressure_mode 7");
                break;
        }
    }

    private static void ValidateWave(StageSpec stage, string path)
    {
        var mode = stage.PressureMode;
        Require(stage.DurationSeconds >= 1, $"{path}.time must be at least 1 second in pressure_mode {mode}: the loops are spread over it");
        Require(stage.LoopCount >= 1, $"{path}.loop_count must be at least 1 in pressure_mode {mode}");
        Require(stage.Maximum >= stage.Minimum, $"{path}.maximum {stage.Maximum} is less than minimum {stage.Minimum}");
        if (mode is 3 or 4)
        {
            var period = SurgeSchedule.ShortestPeriod(stage.DurationSeconds, stage.LoopCount);
            Require(stage.MaxDurationSeconds >= 1, $"{path}.max_duration must be at least 1 second in pressure_mode {mode}");
            Require(stage.MaxDurationSeconds <= period,
                $"{path}.max_duration {stage.MaxDurationSeconds} is longer than a period ({period} s: time / loop_count)");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ScriptException(message);
        }
    }
}
