using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// A loop whose counter is started just before it (<c>c = start; while (c &lt; bound) { ...; c++; }</c>)
    /// and read nowhere else. Its reverse sweep knows the counter's final value, start + trips × step,
    /// so the start need not save the counter's old value; when the condition is a plain comparison
    /// with a bound the loop does not change, the trip count itself is recomputed from the start and
    /// the bound, and nothing at all is recorded for the loop.
    /// </summary>
    public sealed record CountedLoop(string Counter, Assign Start, long Delta, Expr? Bound, BinaryOp Op)
    {
        /// <summary>An assignment of the counter that the start overwrites unread (<c>int k = 0; for (k = 0; ...)</c>): its value is dead too.</summary>
        public Assign? Overwritten { get; init; }
    }

    private readonly Dictionary<While, CountedLoop> _countedLoops = new(ReferenceComparer<While>.Instance);

    /// <summary>The starts of counted loops: the counter's old value is dead in the reverse sweep.</summary>
    private readonly HashSet<Stmt> _counterStarts = new(ReferenceComparer<Stmt>.Instance);

    private void FindCountedLoops()
    {
        var candidates = new List<(While Loop, CountedLoop Counted)>();
        FindCountedLoopCandidates(_method.Body, candidates);
        foreach (var group in candidates.GroupBy(c => c.Counted.Counter))
        {
            var counter = group.Key;
            if (_variables[counter].Kind == VariableKind.Parameter || counter == _method.ResultVariable) continue;
            var loops = new HashSet<While>(group.Select(c => c.Loop), ReferenceComparer<While>.Instance);
            var starts = new HashSet<Stmt>(group.SelectMany(c => new Stmt?[] { c.Counted.Start, c.Counted.Overwritten }).OfType<Stmt>(), ReferenceComparer<Stmt>.Instance);
            // Every write of the counter is one of these starts or a step inside its loop, and
            // every read is inside one of the loops, so its value elsewhere is never used.
            if (WritesOrReadsOutside(_method.Body, counter, loops, starts)) continue;
            foreach (var (loop, counted) in group)
            {
                _countedLoops[loop] = counted;
                _counterStarts.Add(counted.Start);
                if (counted.Overwritten is not null) _counterStarts.Add(counted.Overwritten);
            }
        }
    }

    private void FindCountedLoopCandidates(Block block, List<(While, CountedLoop)> found)
    {
        var statements = block.Statements;
        for (var i = 0; i < statements.Count; i++)
        {
            switch (statements[i])
            {
                case If branch:
                    FindCountedLoopCandidates(branch.Then, found);
                    FindCountedLoopCandidates(branch.Else, found);
                    break;
                case While loop:
                    FindCountedLoopCandidates(loop.Body, found);
                    if (CountedLoopOf(statements, i) is { } counted) found.Add((loop, counted));
                    break;
            }
        }
    }

    /// <summary>The counted loop at <paramref name="index"/>, or null when its counter, start or condition do not qualify.</summary>
    private CountedLoop? CountedLoopOf(EquatableArray<Stmt> statements, int index)
    {
        var loop = (While)statements[index];
        // The one step: on every iteration (at the top level of the body), and nothing else in the body writes the counter.
        var steps = loop.Body.Statements.OfType<Increment>().ToList();
        foreach (var step in steps)
        {
            var counter = step.Target;
            if (steps.Count(s => s.Target == counter) != 1 || step.Delta == 0) continue;
            if (IrWalker.Statements(loop.Body).Count(s => IrWalker.Writes(s, counter)) != 1) continue;

            // The start: the last write before the loop; what lies between neither reads the counter nor changes the start.
            var assignedInLoop = new HashSet<string>(IrWalker.Writes(loop.Body));
            Assign? start = null;
            var between = new List<Stmt>();
            for (var j = index - 1; j >= 0 && start is null; j--)
            {
                if (statements[j] is Assign assign && assign.Target == counter) start = assign;
                else if (IrWalker.Reads(statements[j], counter) || IrWalker.Writes(statements[j], counter)) break;
                else between.Add(statements[j]);
            }
            if (start is null || !IsReplayable(start.Value, counter, assignedInLoop)) continue;
            var startIndex = index - 1 - between.Count;
            var earlier = Enumerable.Range(0, startIndex).Reverse().Select(j => statements[j]).FirstOrDefault(s => IrWalker.Touches(s, counter));
            var overwritten = earlier is Assign assigned && assigned.Target == counter && !IrWalker.Reads(assigned.Value, counter) ? assigned : null;
            var startReads = new HashSet<string>(IrWalker.Reads(start.Value));
            if (between.Any(s => IrWalker.Writes(s).Any(startReads.Contains))) continue;

            // The trip count follows from a condition `counter < bound` (or its mirror) with a step of one.
            var (bound, op) = BoundOf(loop.Condition, counter, step.Delta);
            if (bound is not null && (bound.Type != _variables[counter].Type || !IsReplayable(bound, counter, assignedInLoop))) bound = null;
            return new CountedLoop(counter, start, step.Delta, bound, op) { Overwritten = overwritten };
        }
        return null;
    }

    /// <summary>
    /// Whether the reverse sweep can evaluate the expression again at the loop and get its value
    /// at the loop's start: no calls, no arrays the method writes, not the counter, nothing the loop changes.
    /// </summary>
    private static bool IsReplayable(Expr e, string counter, HashSet<string> assignedInLoop)
    {
        var ok = IrWalker.Nodes(e).All(node => node is not (Call or Pop or StaticRead or SettingsRead or OpaqueConstant)
            && node is not ElementRead { Array.Kind: ArrayKind.Buffer or ArrayKind.Output or ArrayKind.External });
        var reads = new HashSet<string>(IrWalker.Reads(e));
        return ok && !reads.Contains(counter) && !reads.Overlaps(assignedInLoop);
    }

    /// <summary>The bound of <c>c &lt; b</c>, <c>c &lt;= b</c> (step +1) or <c>c &gt; b</c>, <c>c &gt;= b</c> (step -1), in either order, normalised to c on the left.</summary>
    private static (Expr? Bound, BinaryOp Op) BoundOf(Expr condition, string counter, long delta)
    {
        if (condition is not Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual } comparison)
            return (null, default);
        var (bound, op) = comparison switch
        {
            { Left: VarRef v } when v.Name == counter => (comparison.Right, comparison.Op),
            { Right: VarRef v } when v.Name == counter => (comparison.Left, Mirror(comparison.Op)),
            _ => ((Expr?)null, comparison.Op),
        };
        var upwards = op is BinaryOp.Less or BinaryOp.LessOrEqual;
        if (bound is null || (upwards ? delta != 1 : delta != -1)) return (null, default);
        return (bound, op);
    }

    private static BinaryOp Mirror(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        _ => BinaryOp.LessOrEqual,
    };

    /// <summary>Whether a statement outside the loops (other than their starts) writes or reads the counter.</summary>
    private static bool WritesOrReadsOutside(Block block, string counter, HashSet<While> loops, HashSet<Stmt> starts)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case While loop when loops.Contains(loop):
                    break;
                case While loop:
                    if (IrWalker.Reads(loop.Condition, counter) || WritesOrReadsOutside(loop.Body, counter, loops, starts)) return true;
                    break;
                case If branch:
                    if (IrWalker.Reads(branch.Condition, counter) || WritesOrReadsOutside(branch.Then, counter, loops, starts)
                        || WritesOrReadsOutside(branch.Else, counter, loops, starts)) return true;
                    break;
                default:
                    if (IrWalker.Reads(statement, counter) || (!starts.Contains(statement) && IrWalker.Writes(statement, counter))) return true;
                    break;
            }
        }
        return false;
    }

    /// <summary>Whether the reverse sweep reads the counter of this counted loop, so it sets its final value before the replay.</summary>
    public bool RestoresCounter(While loop) => _countedLoops.TryGetValue(loop, out var counted) && _needed.Contains(counted.Counter);

    /// <summary>The variables the reverse sweep reads to replay counted loops: the starts (and bounds) of those that are replayed.</summary>
    private void CollectCountedLoopReads()
    {
        foreach (var entry in _countedLoops)
        {
            var counted = entry.Value;
            if (!HasWork(entry.Key, depth: 1)) continue;
            if (_needed.Contains(counted.Counter)) _needed.UnionWith(IrWalker.Reads(counted.Start.Value));
            if (counted.Bound is not null)
            {
                _needed.UnionWith(IrWalker.Reads(counted.Start.Value));
                _needed.UnionWith(IrWalker.Reads(counted.Bound));
            }
        }
    }
}
