using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ReversePlan;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// The fused loop: each iteration's forward half, then its reverse half (an inner loop
    /// replayed forwards, recomputing its values but not its totals), then the counters' steps.
    /// </summary>
    private List<Code> FusedLoopCode(FusedLoop fused)
    {
        var body = new List<Code>();
        foreach (var statement in fused.Shape.Core)
        {
            if (statement is Assign assign) body.Add(new Set(assign.Target, assign.Value));
            else if (statement is If branch) body.Add(new IfCode(branch.Condition, Sets(branch.Then), Sets(branch.Else)));
            else body.Add(new WhileCode(((While)statement).Condition, PlainBody(fused.Inner[(While)statement].Shape, skip: null).ToEquatableArray()));
        }
        for (var i = fused.Shape.Core.Count - 1; i >= 0; i--)
        {
            if (fused.Shape.Core[i] is Assign assign)
            {
                if (_plan.IsActiveAssignment(assign)) ReverseAssign(assign, 1, Sweep.Recording, body);
                continue;
            }
            if (fused.Shape.Core[i] is If branch)
            {
                var then = ReversedAdditions(branch.Then);
                var otherwise = ReversedAdditions(branch.Else);
                if (then.Count + otherwise.Count > 0) body.Add(new IfCode(branch.Condition, then.ToEquatableArray(), otherwise.ToEquatableArray()));
                continue;
            }
            var loop = (While)fused.Shape.Core[i];
            var inner = fused.Inner[loop];
            if (!inner.Shape.Assignments.Any(_plan.IsActiveAssignment)) continue;
            foreach (var start in inner.CounterStarts) body.Add(new Set(start.Target, start.Value));
            var replay = PlainBody(inner.Shape, skip: inner.Accumulators, steps: false);
            foreach (var assign2 in inner.Shape.Assignments.Reverse())
                if (_plan.IsActiveAssignment(assign2)) ReverseAssign(assign2, 2, Sweep.Recording, replay);
            replay.AddRange(inner.Shape.Counters.Select(c => (Code)new Step(c.Target, c.Delta)));
            body.Add(new WhileCode(loop.Condition, replay.ToEquatableArray()));
        }
        foreach (var counter in fused.Shape.Counters) body.Add(new Step(counter.Target, counter.Delta));
        return new List<Code>
        {
            new Comment("Forward and reverse in one pass: this loop's reverse iterations commute, so each runs right after its forward half."),
            new WhileCode(fused.Loop.Condition, body.ToEquatableArray()),
        };
    }

    private static EquatableArray<Code> Sets(Block block) =>
        block.Statements.Cast<Assign>().Select(a => (Code)new Set(a.Target, a.Value)).ToEquatableArray();

    /// <summary>The reverse half of a branch that only adds to totals.</summary>
    private List<Code> ReversedAdditions(Block block)
    {
        var output = new List<Code>();
        foreach (var assign in block.Statements.Cast<Assign>().Reverse())
            if (_plan.IsActiveAssignment(assign)) ReverseAssign(assign, 1, Sweep.Recording, output);
        return output;
    }

    /// <summary>An inner loop's body as written, without the assignments to <paramref name="skip"/> (and, optionally, without its steps).</summary>
    private static List<Code> PlainBody(LoopShape shape, ImmutableHashSet<string>? skip, bool steps = true)
    {
        var body = new List<Code>();
        foreach (var assign in shape.Assignments)
            if (skip is null || !skip.Contains(assign.Target)) body.Add(new Set(assign.Target, assign.Value));
        if (steps) body.AddRange(shape.Counters.Select(c => (Code)new Step(c.Target, c.Delta)));
        return body;
    }
}
