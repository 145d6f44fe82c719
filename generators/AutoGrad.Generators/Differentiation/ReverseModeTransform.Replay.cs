using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// Where the code being written saves what the reverse sweep needs. Passed down the sweeps, never
    /// stored, so the builder's state is only the code it writes and the names it allocates.
    /// </summary>
    /// <param name="Plain">Writing a loop's body as the forward sweep runs it when the reverse sweep replays or re-advances it: no saves but those the plan puts on the main stacks (<see cref="ReversePlan.SavesOnMainStack"/>).</param>
    /// <param name="Replaying">Writing a replay or the reverse of a replayed body: saves go to the replay record's stacks.</param>
    private readonly record struct Sweep(bool Plain, bool Replaying)
    {
        /// <summary>The method's own sweeps: saves on the record's stacks.</summary>
        public static Sweep Recording => default;
    }

    private readonly Dictionary<ScalarType, string> _replayStacks = new();
    private string? _replayRecord;

    /// <summary>The forward half of a replayed loop's iteration, run again in the reverse sweep with its saves on the replay stacks.</summary>
    private List<Code> Replay(ReplayedLoop replayed, int depth, Sweep sweep)
    {
        var output = new List<Code> { new Comment("Replay this iteration's forward half: only one iteration's values are saved at a time.") };
        output.AddRange(Forward(new Block(replayed.Loop.Body.Statements.Take(replayed.CoreCount).Where(_plan.IsReplayed).ToEquatableArray()), depth, sweep));
        return output;
    }

    private string ReplayStack(ScalarType type)
    {
        _replayRecord ??= _names.Named("replay");
        if (!_replayStacks.TryGetValue(type, out var name))
        {
            name = _names.Named(type.Keyword() + "Replay");
            _replayStacks[type] = name;
        }
        return name;
    }

    private IEnumerable<Code> ReplayRecordStart()
    {
        if (_replayRecord is null) yield break;
        yield return new RentRecord(_replayRecord);
        foreach (var stack in _replayStacks) yield return new AliasStack(stack.Value, _replayRecord, stack.Key);
    }

    private IEnumerable<Code> ReplayRecordEnd()
    {
        if (_replayRecord is not null) yield return new ReturnRecord(_replayRecord);
    }
}
