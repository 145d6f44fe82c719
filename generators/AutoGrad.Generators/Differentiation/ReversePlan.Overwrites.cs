using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>Assignments and stores whose target nothing overwrites after them (nor they themselves, in a later iteration).</summary>
    private readonly HashSet<Stmt> _lastWrites = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Per call statement: the outputs it overwrites whose earlier contents the reverse sweep still reads.</summary>
    private readonly Dictionary<Stmt, IReadOnlyList<ArraySource>> _savedOutputs = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// Finds the last writes: walking each block backwards, a statement is one when nothing after
    /// it writes its target; inside a loop, everything the loop writes counts as after. A store
    /// in a loop is one when it is the loop's only write to the array, nothing after the loop
    /// writes it, and its index moves on every iteration (<c>y[i] = Math.Tanh(x[i])</c>).
    /// </summary>
    private void FindLastWrites(Block block, HashSet<string> writtenLater, While? loop, HashSet<string>? writtenAfterLoop)
    {
        for (var i = block.Statements.Count - 1; i >= 0; i--)
        {
            var statement = block.Statements[i];
            switch (statement)
            {
                case Assign assign when !writtenLater.Contains(assign.Target):
                    _lastWrites.Add(assign);
                    break;
                case Store store when !writtenLater.Contains(store.Array.Code)
                    || (loop is not null && writtenAfterLoop is not null && !writtenAfterLoop.Contains(store.Array.Code)
                        && WritesTo(loop.Body, store.Array.Code) == 1 && AdvancesEveryIteration(store.Index, loop)):
                    _lastWrites.Add(store);
                    break;
                case If branch:
                    FindLastWrites(branch.Then, new HashSet<string>(writtenLater), loop, writtenAfterLoop);
                    FindLastWrites(branch.Else, new HashSet<string>(writtenLater), loop, writtenAfterLoop);
                    break;
                case While inner:
                    var inLoop = new HashSet<string>(writtenLater);
                    inLoop.UnionWith(IrWalker.Writes(inner.Body));
                    // Only a store directly in one loop is recognised: an outer loop would rerun it.
                    FindLastWrites(inner.Body, inLoop, inner, loop is null ? writtenLater : null);
                    break;
            }
            writtenLater.UnionWith(IrWalker.Writes(statement));
        }
    }

    /// <summary>How many statements of the block (at any depth) write the array.</summary>
    private static int WritesTo(Block block, string array) =>
        IrWalker.Statements(block).Count(statement => statement is Store or Invoke && IrWalker.Writes(statement, array));

    /// <summary>
    /// Whether an index takes a new value on every iteration of the loop: a counter (plus or minus
    /// a constant) that the loop only steps, all steps one way, with a step on every iteration
    /// that goes on (at the top of its body, or guarded only by flags that end the loop).
    /// </summary>
    private static bool AdvancesEveryIteration(Expr index, While loop)
    {
        var counter = index switch
        {
            VarRef v => v.Name,
            Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef v, Right: Constant } => v.Name,
            Binary { Op: BinaryOp.Add, Left: Constant, Right: VarRef v } => v.Name,
            _ => null,
        };
        if (counter is null) return false;
        var steps = IrWalker.Statements(loop.Body).OfType<Increment>().Where(s => s.Target == counter).Select(s => s.Delta).ToList();
        var assigned = IrWalker.Statements(loop.Body).OfType<Assign>().Any(a => a.Target == counter);
        if (assigned || steps.Count == 0 || !(steps.All(d => d > 0) || steps.All(d => d < 0))) return false;

        var endsLoop = new HashSet<string>();
        CollectNegatedFlags(loop.Condition, endsLoop);
        bool StepsCounter(Block block) => block.Statements.Any(s => s is Increment increment && increment.Target == counter);
        return StepsCounter(loop.Body) || loop.Body.Statements.Any(s =>
            s is If { Else.Statements.Count: 0 } guarded && StepsCounter(guarded.Then) && IsFlagGuard(guarded.Condition, endsLoop));
    }

    /// <summary>The flags f of a condition <c>!f &amp;&amp; ...</c>: while one is set, the loop does not go on.</summary>
    private static void CollectNegatedFlags(Expr condition, HashSet<string> flags)
    {
        if (condition is Binary { Op: BinaryOp.And } and) { CollectNegatedFlags(and.Left, flags); CollectNegatedFlags(and.Right, flags); }
        else if (condition is Unary { Op: UnaryOp.Not, Operand: VarRef flag }) flags.Add(flag.Name);
    }

    private static bool IsFlagGuard(Expr condition, HashSet<string> endsLoop) => condition switch
    {
        Binary { Op: BinaryOp.And } and => IsFlagGuard(and.Left, endsLoop) && IsFlagGuard(and.Right, endsLoop),
        Unary { Op: UnaryOp.Not, Operand: VarRef flag } => endsLoop.Contains(flag.Name),
        _ => false,
    };

    /// <summary>
    /// Finds the call statements that overwrite an output whose earlier contents the reverse
    /// sweep reads (a statement before the call, or in an earlier iteration of its loop, reads
    /// the array): the forward sweep saves those contents before the call, the reverse sweep
    /// puts them back after the call's pullback.
    /// </summary>
    private void FindOverwrittenOutputs(Block block, HashSet<string> readBefore)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Invoke invoke:
                    var saved = IrWalker.Outputs(invoke).Where(o => _needed.Contains(o.Code) && readBefore.Contains(o.Code)).ToList();
                    if (saved.Count > 0) _savedOutputs[invoke] = saved;
                    break;
                case If branch:
                    FindOverwrittenOutputs(branch.Then, new HashSet<string>(readBefore));
                    FindOverwrittenOutputs(branch.Else, new HashSet<string>(readBefore));
                    break;
                case While loop:
                    var inLoop = new HashSet<string>(readBefore);
                    inLoop.UnionWith(IrWalker.Reads(loop));
                    FindOverwrittenOutputs(loop.Body, inLoop);
                    break;
            }
            readBefore.UnionWith(IrWalker.Reads(statement));
        }
    }

    /// <summary>Per call statement: the outputs it writes whole that an earlier statement (or iteration) may have written too.</summary>
    private readonly Dictionary<Stmt, IReadOnlyList<ArraySource>> _rewrittenOutputs = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// Finds the call statements that write an output an earlier write (a store, a call, the same call in
    /// an earlier iteration) may have filled: the values it replaces have no influence on the result,
    /// so after the call's pullback the reverse sweep clears the output's adjoint before it reaches
    /// the earlier write.
    /// </summary>
    private void FindRewrittenOutputs(Block block, HashSet<string> writtenBefore)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Invoke invoke:
                    var rewritten = IrWalker.Outputs(invoke).Where(o => writtenBefore.Contains(o.Code)).ToList();
                    if (rewritten.Count > 0) _rewrittenOutputs[invoke] = rewritten;
                    break;
                case If branch:
                    FindRewrittenOutputs(branch.Then, new HashSet<string>(writtenBefore));
                    FindRewrittenOutputs(branch.Else, new HashSet<string>(writtenBefore));
                    break;
                case While loop:
                    var inLoop = new HashSet<string>(writtenBefore);
                    inLoop.UnionWith(IrWalker.ArrayWrites(loop.Body));
                    FindRewrittenOutputs(loop.Body, inLoop);
                    break;
            }
            writtenBefore.UnionWith(IrWalker.ArrayWrites(new Block(EquatableArray.Of(statement))));
        }
    }
}
