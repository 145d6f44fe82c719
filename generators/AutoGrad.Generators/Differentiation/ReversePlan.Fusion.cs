using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// A loop of a reduction, like <c>for (i...) { t = f(x[i]); sum += g(t); }</c>, whose
    /// reverse iterations commute: each adds to array adjoints, reads only values its own
    /// forward iteration computed, and passes the accumulators' adjoints through unchanged.
    /// Such a loop is reversed inside the forward loop, each iteration right after its forward
    /// half, while its values are still in registers: one pass over the data instead of two,
    /// nothing saved and no trip count. The accumulators' adjoints must then be known before
    /// the loop, so the statements after it are reversed first. Inner loops of the same kind
    /// (a dot product per sample) are reversed by running them again, forwards, in the
    /// iteration's reverse half: their reverse iterations commute too.
    /// </summary>
    public sealed record FusedLoop(int Index, While Loop, LoopShape Shape, IReadOnlyDictionary<While, InnerLoop> Inner);

    /// <summary>A loop body: assignments (and, for an outer loop, inner loops and branches that add to totals), then the counters' steps.</summary>
    public sealed record LoopShape(IReadOnlyList<Stmt> Core, IReadOnlyList<Increment> Counters)
    {
        public IEnumerable<Assign> Assignments => Core.OfType<Assign>();
    }

    /// <summary>An inner loop: its shape, the assignments that start its counters, and its accumulators.</summary>
    public sealed record InnerLoop(LoopShape Shape, IReadOnlyList<Assign> CounterStarts, ImmutableHashSet<string> Accumulators);

    private static LoopShape? ShapeOf(While loop, bool allowInnerLoops)
    {
        var body = loop.Body.Statements;
        var firstStep = body.Count;
        while (firstStep > 0 && body[firstStep - 1] is Increment) firstStep--;
        var core = new List<Stmt>();
        for (var i = 0; i < firstStep; i++)
        {
            if (body[i] is Assign || (allowInnerLoops && (body[i] is While || IsConditionalAccumulation(body[i])))) core.Add(body[i]);
            else return null;
        }
        return new LoopShape(core, body.Skip(firstStep).Cast<Increment>().ToList());
    }

    /// <summary>A branch that only adds to totals: <c>if (margin &lt; 1) loss += 1 - margin;</c>.</summary>
    private static bool IsConditionalAccumulation(Stmt statement) =>
        statement is If branch
        && branch.Then.Statements.Concat(branch.Else.Statements).All(s => s is Assign assign && AccumulatedTerm(assign) is not null);

    /// <summary>The assignments a fused iteration reverses: the loop's own, its branches' and its inner loops'.</summary>
    private static IEnumerable<Assign> IterationAssignments(FusedLoop fused) =>
        fused.Shape.Assignments
            .Concat(fused.Shape.Core.OfType<If>().SelectMany(BranchAssignments))
            .Concat(fused.Inner.Values.SelectMany(inner => inner.Shape.Assignments));

    private static IEnumerable<Assign> BranchAssignments(If branch) => branch.Then.Statements.Concat(branch.Else.Statements).Cast<Assign>();

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
        if (!HasWork(loop, 0) || _checkpointed.ContainsKey(loop) || ShapeOf(loop, allowInnerLoops: true) is not { } shape) return null;
        var core = shape.Core;

        // Who assigns what inside the loop.
        var assignedInLoop = new HashSet<string>(IrWalker.Writes(loop.Body));
        var directCount = shape.Assignments.GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        var counterNames = new HashSet<string>(shape.Counters.Select(c => c.Target));
        if (core.OfType<Assign>().Any(a => counterNames.Contains(a.Target))) return null;
        var conditionReads = new HashSet<string>(IrWalker.Reads(loop.Condition));
        if (conditionReads.Any(v => assignedInLoop.Contains(v) && !counterNames.Contains(v))) return null;
        var outsideLoop = new HashSet<string>();
        for (var i = 0; i < statements.Count; i++)
            if (i != index) outsideLoop.UnionWith(IrWalker.Reads(statements[i]));
        bool ReadBeforeLoop(string v) => statements.Take(index).Any(s => IrWalker.Reads(s, v));
        bool IsOuterAccumulator(Assign assign) =>
            AccumulatedTerm(assign) is not null && !_needed.Contains(assign.Target) && !ReadBeforeLoop(assign.Target);
        // A total of this loop: only ever added to, directly or in branches, and read by nothing in the loop but its own additions.
        bool IsTotal(string v)
        {
            var assignments = shape.Assignments.Concat(core.OfType<If>().SelectMany(BranchAssignments)).Where(a => a.Target == v).ToList();
            if (assignments.Count == 0 || assignments.Any(a => AccumulatedTerm(a) is null) || !IsOuterAccumulator(assignments[0])) return false;
            if (conditionReads.Contains(v) || core.OfType<While>().Any(w => IrWalker.Writes(w, v) || IrWalker.Reads(w, v))) return false;
            bool ReadsBesidesAdding(Assign a) => a.Target == v ? ReadsExcept(a, v) : IrWalker.Reads(a, v);
            return !core.Any(statement => statement switch
            {
                Assign a => ReadsBesidesAdding(a),
                If branch => IrWalker.Reads(branch.Condition, v) || BranchAssignments(branch).Any(ReadsBesidesAdding),
                _ => false,
            });
        }
        // A branch's decision is taken again in the reverse half: nothing after it may change what it reads.
        for (var position = 0; position < core.Count; position++)
        {
            if (core[position] is not If branch) continue;
            if (BranchAssignments(branch).Any(a => !IsTotal(a.Target))) return null;
            var decisionReads = new HashSet<string>(IrWalker.Reads(branch.Condition));
            if (core.Skip(position).SelectMany(IrWalker.Writes).Any(decisionReads.Contains)) return null;
        }

        var inner = new Dictionary<While, InnerLoop>(ReferenceComparer<While>.Instance);
        var handled = new HashSet<string>(); // targets checked with their inner loop
        for (var position = 0; position < core.Count; position++)
        {
            if (core[position] is not While innerLoop) continue;
            if (ShapeOf(innerLoop, allowInnerLoops: false) is not { } innerShape) return null;
            var innerAssigned = new HashSet<string>(IrWalker.Writes(innerLoop.Body));
            var before = core.Take(position).ToList();
            var after = core.Skip(position + 1).ToList();

            // Counters: started once by a plain assignment before the loop, read nowhere else;
            // the start is replayed for the reverse half, so it must read nothing the loop changes.
            var starts = new List<Assign>();
            foreach (var counter in innerShape.Counters.Select(c => c.Target).Distinct())
            {
                var assignments = shape.Assignments.Where(a => a.Target == counter).ToList();
                if (assignments.Count != 1 || !before.Contains(assignments[0]) || innerShape.Assignments.Any(a => a.Target == counter)) return null;
                if (outsideLoop.Contains(counter) || conditionReads.Contains(counter) || core.Any(s => !ReferenceEquals(s, innerLoop) && IrWalker.Reads(s, counter))) return null;
                if (IrWalker.Reads(assignments[0].Value).Any(assignedInLoop.Contains)) return null;
                starts.Add(assignments[0]);
                handled.Add(counter);
            }
            var innerCounters = new HashSet<string>(innerShape.Counters.Select(c => c.Target));
            var innerCondition = new HashSet<string>(IrWalker.Reads(innerLoop.Condition));
            // (The outer counters step only after the whole iteration, so it may read them.)
            if (innerCondition.Any(v => !innerCounters.Contains(v) && !counterNames.Contains(v) && assignedInLoop.Contains(v))) return null;

            // What the inner loop reads from the outer iteration is final before it starts.
            var innerReads = new HashSet<string>(innerLoop.Body.Statements.SelectMany(IrWalker.Reads));
            foreach (var v in innerReads.Where(v => assignedInLoop.Contains(v) && !innerAssigned.Contains(v)))
                if (after.Any(s => IrWalker.Writes(s, v)) || core.OfType<While>().Any(w => !ReferenceEquals(w, innerLoop) && IrWalker.Writes(w, v))) return null;

            var accumulators = new HashSet<string>();
            var innerAssignments = innerShape.Assignments.ToList();
            for (var i = 0; i < innerAssignments.Count; i++)
            {
                var assign = innerAssignments[i];
                var target = assign.Target;
                if (innerAssignments.Count(a => a.Target == target) != 1 || innerCounters.Contains(target)) return null;
                var readInInner = innerCondition.Contains(target) || innerAssignments.Where((_, j) => j != i).Any(a => IrWalker.Reads(a, target));
                if (AccumulatedTerm(assign) is not null && !readInInner)
                {
                    // Its total is the outer iteration's value (started just before) or the outer loop's accumulator.
                    var starts2 = shape.Assignments.Where(a => a.Target == target).ToList();
                    if (starts2.Count == 0)
                    {
                        if (!IsOuterAccumulator(assign) || conditionReads.Contains(target)) return null;
                        if (core.Any(s => !ReferenceEquals(s, innerLoop) && IrWalker.Reads(s, target))) return null;
                    }
                    else
                    {
                        if (starts2.Count != 1 || !before.Contains(starts2[0]) || IrWalker.Reads(starts2[0], target)) return null;
                        if (outsideLoop.Contains(target) || before.Any(s => IrWalker.Reads(s, target)) || conditionReads.Contains(target)) return null;
                        if (core.OfType<While>().Any(w => !ReferenceEquals(w, innerLoop) && (IrWalker.Writes(w, target) || IrWalker.Reads(w, target)))) return null;
                    }
                    accumulators.Add(target);
                    handled.Add(target);
                    continue;
                }
                // A value of the inner iteration.
                if (directCount.ContainsKey(target) || core.OfType<While>().Any(w => !ReferenceEquals(w, innerLoop) && IrWalker.Writes(w, target))) return null;
                if (outsideLoop.Contains(target) || conditionReads.Contains(target) || innerCondition.Contains(target)) return null;
                if (core.Any(s => !ReferenceEquals(s, innerLoop) && IrWalker.Reads(s, target))) return null;
                if (IrWalker.Reads(assign, target) || innerAssignments.Take(i).Any(a => IrWalker.Reads(a, target))) return null;
                handled.Add(target);
            }
            inner[innerLoop] = new InnerLoop(innerShape, starts, accumulators.ToImmutableHashSet());
        }

        // The outer loop's own assignments: once each, an accumulator nothing else in the loop
        // reads, or a value of this iteration, read only after it is assigned and nowhere outside.
        for (var position = 0; position < core.Count; position++)
        {
            if (core[position] is not Assign assign || handled.Contains(assign.Target)) continue;
            var target = assign.Target;
            if (IsTotal(target)) continue;
            if (directCount[target] != 1 || core.OfType<While>().Any(w => IrWalker.Writes(w, target)) || core.OfType<If>().Any(b => IrWalker.Writes(b, target))) return null;
            if (outsideLoop.Contains(target) || conditionReads.Contains(target) || IrWalker.Reads(assign, target)) return null;
            if (core.Take(position).Any(earlier => IrWalker.Reads(earlier, target))) return null;
        }
        // The counters step only at the end of the body; nothing before the loop reads them back.
        if (counterNames.Any(ReadBeforeLoop)) return null;

        // The statements after the loop: reversible before it, so they read nothing the loop or they assign.
        var tail = statements.Skip(index + 1).Cast<Assign>().ToList();
        var changed = new HashSet<string>(assignedInLoop.Concat(counterNames).Concat(tail.Select(a => a.Target)));
        foreach (var assign in tail)
        {
            if (NeedsSave(assign, 0) || ReadsOwnResult(assign.Value)) return null;
            if (statements.Take(index + 1).Any(s => IrWalker.Reads(s, assign.Target) || IrWalker.Writes(s, assign.Target))) return null;
            var reverseReads = new HashSet<string>();
            CollectDerivativeReads(assign.Value, reverseReads);
            if (reverseReads.Overlaps(changed)) return null;
        }
        return new FusedLoop(index, loop, shape, inner);
    }

    /// <summary>Whether an assignment reads the variable anywhere but as the running total of its own accumulation.</summary>
    private static bool ReadsExcept(Stmt statement, string variable) =>
        statement is Assign assign && AccumulatedTerm(assign) is { } term && assign.Target == variable
            ? IrWalker.Reads(term.Term, variable)
            : IrWalker.Reads(statement, variable);

    /// <summary>Whether the reverse code of <c>v = e</c> reads v for e's value (an exp's derivative, a quotient's towards its divisor).</summary>
    private bool ReadsOwnResult(Expr e) =>
        UsesOwnResult(e) && (e is Binary quotient ? _activity.Depends(quotient.Right) : _activity.Depends(e));
}
