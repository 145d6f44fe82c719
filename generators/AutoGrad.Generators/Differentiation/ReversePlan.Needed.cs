using System;
using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// Finds the variables the reverse sweep reads (so their overwritten values must be restored):
    /// everything an active statement's derivative recomputes, and the variables of branch
    /// conditions that the reverse sweep can re-evaluate instead of recording.
    /// </summary>
    private void ComputeNeeded()
    {
        foreach (var statement in IrWalker.Statements(_method.Body))
        {
            switch (statement)
            {
                case Assign assign when IsActiveAssignment(assign):
                    CollectDerivativeReads(assign.Value, _needed);
                    break;
                case Store store when _activity.IsActive(store.Array.Code):
                    CollectDerivativeReads(store.Value, _needed);
                    break;
                case Invoke invoke when HasGradientWork(invoke):
                    for (var i = 0; i < invoke.Arguments.Count; i++)
                    {
                        var argument = invoke.Arguments[i];
                        var writes = invoke.Target.Parameters[i].Shape == ParameterShape.Output;
                        _needed.UnionWith(IrWalker.WindowReads(argument.Array));
                        if (argument.Value is not null) _needed.UnionWith(IrWalker.Reads(argument.Value));
                        // A split callee's reverse half may read what its forward half wrote (its stored results).
                        else if (argument.Array is { Kind: ArrayKind.Buffer or ArrayKind.Output } array && (!writes || invoke.Target.PullbackReadsOutputs || UsesSplitSweeps(invoke)))
                            _needed.Add(array.Code);
                    }
                    break;
            }
        }
        for (var before = -1; before != _needed.Count + _savedOutputs.Count;)
        {
            before = _needed.Count + _savedOutputs.Count;
            FindOverwrittenOutputs(_method.Body, new HashSet<string>());
            foreach (var saved in _savedOutputs.Values.SelectMany(outputs => outputs)) _needed.UnionWith(IrWalker.WindowReads(saved)); // restored where it was saved
            CollectCountedLoopReads();
            CollectReplayReads();
            CollectCheckpointReads();
            foreach (var statement in IrWalker.Statements(_method.Body))
            {
                if (statement is If branch && HasWork(branch, 0) && CanRecompute(branch)) _needed.UnionWith(IrWalker.Reads(branch.Condition));
                // Restoring or adjoining an element needs its index in the reverse sweep.
                if (statement is Store store && HasWork(store, 0)) _needed.UnionWith(IrWalker.Reads(store.Index));
            }
        }
    }

    /// <summary>The variables whose values the reverse code of an expression (<see cref="ReverseModeTransform"/>.Backpropagate) reads for this expression (a leaf needs only its adjoint).</summary>
    private void CollectDerivativeReads(Expr e, HashSet<string> names)
    {
        if (!_activity.Depends(e)) return;
        switch (e)
        {
            case ElementRead read:
                names.UnionWith(IrWalker.Reads(read.Index));
                break;
            case Unary unary:
                CollectDerivativeReads(unary.Operand, names);
                break;
            case Cast cast:
                CollectDerivativeReads(cast.Operand, names);
                break;
            case Binary binary:
                var leftActive = _activity.Depends(binary.Left);
                var rightActive = _activity.Depends(binary.Right);
                var readsRight = binary.Op == BinaryOp.Divide || (binary.Op == BinaryOp.Multiply && leftActive) || (binary.Op == BinaryOp.Remainder && rightActive);
                var readsLeft = (binary.Op == BinaryOp.Multiply || binary.Op == BinaryOp.Divide || binary.Op == BinaryOp.Remainder) && rightActive;
                if (readsRight) names.UnionWith(IrWalker.Reads(binary.Right));
                if (readsLeft) names.UnionWith(IrWalker.Reads(binary.Left));
                CollectDerivativeReads(binary.Left, names);
                CollectDerivativeReads(binary.Right, names);
                break;
            case Conditional conditional:
                names.UnionWith(IrWalker.Reads(conditional.Condition));
                CollectDerivativeReads(conditional.WhenTrue, names);
                CollectDerivativeReads(conditional.WhenFalse, names);
                break;
            case MathCall or Call:
                names.UnionWith(IrWalker.Reads(e));
                break;
        }
    }

    public bool IsActiveAssignment(Assign assign) => _activity.IsActive(assign.Target);

    /// <summary>A branch decision can be re-evaluated in the reverse sweep when the branch does not change what it reads.</summary>
    public static bool CanRecompute(If branch)
    {
        var read = new HashSet<string>(IrWalker.Reads(branch.Condition));
        return !read.Overlaps(IrWalker.Writes(branch.Then).Concat(IrWalker.Writes(branch.Else)));
    }

    /// <summary>
    /// Whether the forward sweep saves the variable's old value for the reverse sweep to restore. A
    /// declaration outside every loop overwrites nothing the reverse sweep reads (no statement before
    /// it can read the variable), also at the top level of a split half, whose statements all run at depth 1 or more.
    /// </summary>
    public bool NeedsSave(Assign assign, int depth) =>
        _needed.Contains(assign.Target) && !(assign.IsDeclaration && (depth == 0 || _method.Body.Statements.Any(s => ReferenceEquals(s, assign))))
        && !_recomputed.Contains(assign.Target) && !_unsaved.Contains(assign) && !_counterStarts.Contains(assign)
        && !_runningExtremes.ContainsKey(assign);

    /// <summary>Whether the reverse sweep has anything to do for this statement.</summary>
    public bool HasWork(Stmt statement, int depth) => statement switch
    {
        Assign assign => IsActiveAssignment(assign) || NeedsSave(assign, depth),
        Increment increment => _needed.Contains(increment.Target),
        Store store => _activity.IsActive(store.Array.Code) || _needed.Contains(store.Array.Code),
        Invoke invoke => HasGradientWork(invoke) || _savedOutputs.ContainsKey(invoke),
        If branch => HasWork(branch.Then, depth) || HasWork(branch.Else, depth),
        While loop => HasWork(loop.Body, depth + 1) || _savedAroundLoop.ContainsKey(loop),
        // Nothing to reverse: no adjoint flows through them and they overwrite no value.
        Allocate or Check or Return or Break or Continue => false,
        _ => throw new InvalidOperationException("ReversePlan.HasWork does not know " + statement.GetType().Name + "; add it there."),
    };

    public bool HasWork(Block block, int depth) => block.Statements.Any(s => HasWork(s, depth));

    /// <summary>A differentiable callee whose gradient is needed runs as NameForward and NameReverse, so its forward sweep runs once.</summary>
    public bool UsesSplitSweeps(Invoke invoke) => invoke.Target.Kind == CallKind.Differentiable && HasGradientWork(invoke);

    /// <summary>Whether a call statement writes an output that has an adjoint, so its pullback must run.</summary>
    public bool HasGradientWork(Invoke invoke) => IrWalker.Outputs(invoke).Any(o => _activity.IsActive(o.Code));

    /// <summary>The <c>e</c> of <c>v = v + e</c>, <c>v = e + v</c> or <c>v = v - e</c> when <c>e</c> does not read <c>v</c>.</summary>
    public static (Expr Term, bool Negated)? AccumulatedTerm(Assign assign)
    {
        if (assign.Value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract } binary) return null;
        bool IsTarget(Expr e) => e is VarRef v && v.Name == assign.Target && v.Type == binary.Type;
        (Expr Term, bool Negated)? found =
            IsTarget(binary.Left) ? (binary.Right, binary.Op == BinaryOp.Subtract)
            : binary.Op == BinaryOp.Add && IsTarget(binary.Right) ? (binary.Left, false)
            : null;
        if (found is not { } term) return null;
        return IrWalker.Reads(term.Term, assign.Target) ? null : term;
    }

    /// <summary>
    /// Whether the derivative of the expression's outermost operation is written in terms of its
    /// result (tanh' = 1 - tanh²), so the value the statement stored is worth reusing.
    /// </summary>
    public static bool UsesOwnResult(Expr e) => e is MathCall math && DerivativeRules.ReadsResult(math) || e is Binary { Op: BinaryOp.Divide };
}
