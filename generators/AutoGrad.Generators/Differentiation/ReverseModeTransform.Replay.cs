using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>While generating a replayed loop's body as the forward sweep runs it: no saves but those the plan puts on the main stacks (<see cref="ReversePlan.SavesOnMainStack"/>).</summary>
    private bool _plain;

    /// <summary>While generating a replay or the reverse of a replayed body: saves go to the replay record's stacks.</summary>
    private bool _replaying;

    private readonly Dictionary<ScalarType, string> _replayStacks = new();
    private string? _replayRecord;

    /// <summary>The forward half of a replayed loop's iteration, run again in the reverse sweep with its saves on the replay stacks.</summary>
    private List<Code> Replay(ReplayedLoop replayed, int depth)
    {
        var output = new List<Code> { new Comment("Replay this iteration's forward half: only one iteration's values are saved at a time.") };
        output.AddRange(Forward(new Block(replayed.Loop.Body.Statements.Take(replayed.CoreCount).ToEquatableArray()), depth));
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
