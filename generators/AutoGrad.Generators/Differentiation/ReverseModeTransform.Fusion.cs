using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReverseModeTransform
{
    /// <summary>
    /// A loop of a reduction, like <c>for (i...) { t = f(x[i]); sum += g(t); }</c>, whose
    /// reverse iterations commute: each adds to array adjoints, reads only values its own
    /// forward iteration computed, and passes the accumulators' adjoints through unchanged.
    /// Such a loop is reversed inside the forward loop, each iteration right after its forward
    /// half, while its values are still in registers: one pass over the data instead of two,
    /// nothing saved and no trip count. The accumulators' adjoints must then be known before
    /// the loop, so the statements after it are reversed first.
    /// </summary>
    private sealed record FusedLoop(int Index, While Loop, List<Assign> Core, List<Increment> Counters);

    /// <summary>Whether no reverse code may run restores: a fused iteration reads the values its forward half left.</summary>
    private bool _inFusedIteration;

    /// <summary>The last top-level loop of the body, when it can be reversed in place (see <see cref="FusedLoop"/>).</summary>
    private FusedLoop? FindFusableLoop()
    {
        var statements = _method.Body.Statements;
        var index = -1;
        for (var i = statements.Count - 1; i >= 0 && index < 0; i--)
        {
            if (statements[i] is While) index = i;
            // Only plain assignments may follow: they are reversed before the loop runs.
            else if (statements[i] is not Assign) return null;
        }
        // Buffers' adjoints are rented after the forward sweep, too late for a fused loop.
        if (index < 0 || _method.Buffers.Count > 0) return null;
        var loop = (While)statements[index];
        if (!HasWork(loop, 0)) return null;

        // The body: assignments, then the counters' steps.
        var body = loop.Body.Statements;
        var firstStep = body.Count;
        while (firstStep > 0 && body[firstStep - 1] is Increment) firstStep--;
        var core = new List<Assign>();
        for (var i = 0; i < firstStep; i++)
        {
            if (body[i] is not Assign assign) return null;
            core.Add(assign);
        }
        var counters = body.Skip(firstStep).Cast<Increment>().ToList();
        var counterNames = new HashSet<string>(counters.Select(c => c.Target));

        // Every variable the core assigns, once: an accumulator nothing else in the loop reads,
        // or a value of this iteration, read only after it is assigned and nowhere outside the loop.
        var assigned = new HashSet<string>();
        foreach (var assign in core)
            if (!assigned.Add(assign.Target) || counterNames.Contains(assign.Target)) return null;
        var conditionReads = new HashSet<string>();
        CollectVariables(loop.Condition, conditionReads);
        var outside = new HashSet<string>();
        for (var i = 0; i < statements.Count; i++)
            if (i != index) CollectReads(statements[i], outside);
        for (var i = 0; i < core.Count; i++)
        {
            var target = core[i].Target;
            if (conditionReads.Contains(target)) return null;
            var readsElsewhere = core.Where((_, j) => j != i && ReadsAnywhere(core[j], target)).Any();
            if (AccumulatedTerm(core[i]) is not null && !readsElsewhere && !_needed.Contains(target))
            {
                // Statements after the loop may read its total; those before it may not.
                if (statements.Take(index).Any(s => ReadsAnywhere(s, target))) return null;
                continue;
            }
            if (outside.Contains(target) || ReadsAnywhere(core[i], target)) return null;
            if (core.Take(i).Any(earlier => ReadsAnywhere(earlier, target))) return null;
        }
        // The counters step only at the end of the body; nothing before the loop reads them back.
        if (statements.Take(index).Any(s => counterNames.Any(c => ReadsAnywhere(s, c)))) return null;

        // The statements after the loop: reversible before it, so they read nothing the loop or they assign.
        var tail = statements.Skip(index + 1).Cast<Assign>().ToList();
        var changed = new HashSet<string>(assigned.Concat(counterNames).Concat(tail.Select(a => a.Target)));
        foreach (var assign in tail)
        {
            if (NeedsSave(assign, 0) || ReadsOwnResult(assign.Value)) return null;
            if (statements.Take(index + 1).Any(s => ReadsAnywhere(s, assign.Target) || Assigns(s, assign.Target))) return null;
            var reverseReads = new HashSet<string>();
            CollectReverseReads(assign.Value, reverseReads);
            if (reverseReads.Overlaps(changed)) return null;
        }
        return new FusedLoop(index, loop, core, counters);
    }

    /// <summary>The fused loop: each iteration's forward half, then its reverse half, then the counters' steps.</summary>
    private List<Code> FusedLoopCode(FusedLoop fused)
    {
        var body = new List<Code>();
        foreach (var assign in fused.Core) body.Add(new Set(assign.Target, assign.Value));
        _inFusedIteration = true;
        for (var i = fused.Core.Count - 1; i >= 0; i--)
            if (IsActiveAssignment(fused.Core[i])) ReverseAssign(fused.Core[i], 1, body);
        _inFusedIteration = false;
        foreach (var counter in fused.Counters) body.Add(new Step(counter.Target, counter.Delta));
        return new List<Code>
        {
            new Comment("Forward and reverse in one pass: this loop's reverse iterations commute, so each runs right after its forward half."),
            new WhileCode(fused.Loop.Condition, body.ToEquatableArray()),
        };
    }

    /// <summary>Whether the reverse code of <c>v = e</c> reads v for e's value (an exp's derivative, a quotient's towards its divisor).</summary>
    private bool ReadsOwnResult(Expr e) =>
        UsesOwnResult(e) && (e is Binary quotient ? _activity.Depends(quotient.Right) : _activity.Depends(e));

    private static bool ReadsAnywhere(Stmt statement, string variable)
    {
        var reads = new HashSet<string>();
        CollectReads(statement, reads);
        return reads.Contains(variable);
    }

    private static bool Assigns(Stmt statement, string variable)
    {
        var assigned = new HashSet<string>();
        CollectAssigned(new Block(EquatableArray.Of(statement)), assigned);
        return assigned.Contains(variable);
    }

    /// <summary>Every variable (and written array) a statement reads, at any depth.</summary>
    private static void CollectReads(Stmt statement, HashSet<string> names)
    {
        switch (statement)
        {
            case Assign assign: CollectVariables(assign.Value, names); break;
            case Increment increment: names.Add(increment.Target); break;
            case Store store: CollectVariables(store.Index, names); CollectVariables(store.Value, names); break;
            case Allocate allocate: CollectVariables(allocate.Length, names); break;
            case Invoke invoke:
                foreach (var argument in invoke.Arguments)
                {
                    if (argument.Value is not null) CollectVariables(argument.Value, names);
                    if (argument.Array is { } array) names.Add(array.Code);
                }
                break;
            case If branch:
                CollectVariables(branch.Condition, names);
                foreach (var s in branch.Then.Statements) CollectReads(s, names);
                foreach (var s in branch.Else.Statements) CollectReads(s, names);
                break;
            case While loop:
                CollectVariables(loop.Condition, names);
                foreach (var s in loop.Body.Statements) CollectReads(s, names);
                break;
        }
    }
}
