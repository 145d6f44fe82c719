using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>Per loop: variables saved once around the whole loop instead of at each assignment inside it.</summary>
    private readonly Dictionary<While, IReadOnlyList<string>> _savedAroundLoop = new(ReferenceComparer<While>.Instance);

    /// <summary>Assignments whose old value need not be saved, because their loop saves the variable once.</summary>
    private readonly HashSet<Stmt> _unsaved = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// A variable that a loop assigns but whose value nothing inside the loop reads in the
    /// reverse sweep (an accumulator like <c>z += w[j] * x[j]</c>) needs its old values only
    /// outside the loop: it is saved once before the loop and restored once after replaying it,
    /// instead of at every iteration. Outermost loops are tried first.
    /// </summary>
    private void FindLoopSaves(Block block)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case While loop:
                    var readers = new HashSet<string>();
                    CollectReverseSweepReads(loop.Body, readers);
                    var assignments = IrWalker.Statements(loop.Body).OfType<Assign>().ToList();
                    var hoisted = assignments
                        .Select(a => a.Target)
                        .Where(v => _needed.Contains(v) && !readers.Contains(v) && !_recomputed.Contains(v) && !_unsaved.Any(u => ((Assign)u).Target == v))
                        .Distinct()
                        .ToList();
                    if (hoisted.Count > 0)
                    {
                        var saved = hoisted.Where(v => !DeadBeforeLoop(block, loop, v)).ToList();
                        if (saved.Count > 0) _savedAroundLoop[loop] = saved;
                        foreach (var assign in assignments.Where(a => hoisted.Contains(a.Target))) _unsaved.Add(assign);
                    }
                    FindLoopSaves(loop.Body);
                    break;
                case If branch:
                    FindLoopSaves(branch.Then);
                    FindLoopSaves(branch.Else);
                    break;
            }
        }
    }

    /// <summary>
    /// Whether the variable's value before a top-level loop is one the reverse sweep never reads, so
    /// the loop need not save it: the last statement before the loop that touches it assigns it
    /// (<c>sum = 0</c>) without reading it, and that assignment's reverse does not read its result
    /// either; it restores the value before it itself, if any statement before it reads one.
    /// </summary>
    private bool DeadBeforeLoop(Block block, While loop, string variable)
    {
        if (!ReferenceEquals(block, _method.Body)) return false;
        var statements = block.Statements;
        var index = Enumerable.Range(0, statements.Count).First(i => ReferenceEquals(statements[i], loop));
        for (var i = index - 1; i >= 0; i--)
        {
            if (!IrWalker.Touches(statements[i], variable)) continue;
            return statements[i] is Assign assign && assign.Target == variable && !IrWalker.Reads(assign.Value, variable)
                && !(IsActiveAssignment(assign) && UsesOwnResult(assign.Value));
        }
        return false;
    }

    /// <summary>Every variable whose value the reverse sweep of these statements reads.</summary>
    private void CollectReverseSweepReads(Block block, HashSet<string> names)
    {
        if (_recomputeAt.TryGetValue(block, out var recompute))
            foreach (var definition in recompute.Definitions) names.UnionWith(IrWalker.Reads(definition.Value));
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign assign when IsActiveAssignment(assign):
                    CollectDerivativeReads(assign.Value, names);
                    break;
                case Store store when HasWork(store, 1):
                    names.UnionWith(IrWalker.Reads(store.Index));
                    if (_activity.IsActive(store.Array.Code)) CollectDerivativeReads(store.Value, names);
                    break;
                case Invoke invoke when HasWork(invoke, 1):
                    // The values and window bounds the pullback is passed again.
                    foreach (var argument in IrWalker.Expressions(invoke)) names.UnionWith(IrWalker.Reads(argument));
                    break;
                case If branch:
                    if (HasWork(branch, 1) && CanRecompute(branch)) names.UnionWith(IrWalker.Reads(branch.Condition));
                    CollectReverseSweepReads(branch.Then, names);
                    CollectReverseSweepReads(branch.Else, names);
                    break;
                case While loop:
                    CollectReverseSweepReads(loop.Body, names);
                    break;
            }
        }
    }
}
