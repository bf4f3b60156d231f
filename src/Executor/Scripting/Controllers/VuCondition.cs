using System.Globalization;
using PerfTest.Executor.Scripting.Checks;

namespace PerfTest.Executor.Scripting.Controllers;

/// <summary>
/// The condition of a condition (202) or loop (201) controller, on the VU's own state:
/// <c>{"logic": "and"|"or", "items": [{"source": "variable"|"status", "key": "name", "operator": "...", "value": "..."}]}</c>.
/// "variable" compares the VU's variable <c>key</c> (extracted, set by a data instruction, or global);
/// "status" the status code of its last response. The operators are the checkpoints' (<see cref="Comparison"/>);
/// a variable never set has no value. See docs/scripts.md.
/// </summary>
public sealed class VuCondition(bool any, IReadOnlyList<VuCondition.Item> items) : IVuCondition
{
    public bool IsTrue(VirtualUser vu)
    {
        foreach (var item in items)
        {
            if (item.Holds(vu) == any)
            {
                return any;
            }
        }
        return !any;
    }

    /// <summary>A condition of the plan (read and checked by Planning.RuleReader); <paramref name="path"/> names it in errors.</summary>
    public static VuCondition From(Contract.VuCondition condition, string path)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return new VuCondition(condition.Any, condition.Items
            .Select((item, i) => new Item(item.OnStatus, item.Key, Comparison.From(item.Comparison, $"{path}.items[{i}]"))).ToList());
    }

    /// <summary>One comparison.</summary>
    public sealed record Item(bool OnStatus, string Key, Comparison Comparison)
    {
        /// <summary>Whether it holds; a regex that runs past its match timeout does not (as for a checkpoint).</summary>
        public bool Holds(VirtualUser vu)
        {
            try
            {
                return Comparison.Holds(OnStatus ? vu.LastStatus.ToString(CultureInfo.InvariantCulture)
                    : vu.Variables.IsDefined(Key) ? vu.Variables.Resolve(Key) : null);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }
}
