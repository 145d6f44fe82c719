using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// Calls of [Differentiable] callees inside expressions (<c>total += LogSumExp(terms)</c>) that the
    /// forward sweep makes to the callee's NameForward, saving in the record, and the reverse sweep to
    /// its NameReverse: the callee's forward sweep runs once, where its NamePullback would run it again.
    /// The reverse sweep must reverse such a call exactly once each time the forward sweep makes it:
    /// it is the statement's only call to a [Differentiable] callee, reached from the statement's value
    /// through operations that pass adjoints to every operand that depends on the inputs (no branch of
    /// a conditional, no argument of another call), in an active statement that the forward sweep
    /// records (not in a replayed, checkpointed or fused loop, nor after the fused loop, whose
    /// statements are reversed before they run). Not in methods with Hessian-vector products, which
    /// differentiate the pullback calls of the reverse sweep, nor in methods with Jacobians, whose row
    /// path runs the reverse sweep once per row after one forward sweep (a callee's reverse half takes
    /// its saves off the record), nor to callees that checkpoint, whose NameForward would save every
    /// iteration their checkpoints avoid saving.
    /// </summary>
    private readonly Dictionary<Stmt, Call> _splitCalls = new(ReferenceComparer<Stmt>.Instance);

    private readonly HashSet<Call> _splitCallNodes = new(ReferenceComparer<Call>.Instance);

    /// <summary>The call the statement makes to a callee's NameForward (see <see cref="_splitCalls"/>), if any.</summary>
    public Call? SplitCallOf(Stmt statement) => _splitCalls.TryGetValue(statement, out var call) ? call : null;

    /// <summary>Whether the reverse sweep reverses this call with the callee's NameReverse.</summary>
    public bool IsSplitCall(Call call) => _splitCallNodes.Contains(call);

    private void FindSplitCalls()
    {
        if ((_method.Modes & (DerivativeModes.HessianVector | DerivativeModes.Jacobian)) != 0) return;
        var statements = _method.Body.Statements;
        FindSplitCalls(statements.Take(Fused?.Index ?? statements.Count));
    }

    private void FindSplitCalls(IEnumerable<Stmt> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Assign assign when IsActiveAssignment(assign):
                    AddSplitCall(assign, assign.Value);
                    break;
                case Store store when _activity.IsActive(store.Array.Code):
                    AddSplitCall(store, store.Value);
                    break;
                case If branch:
                    FindSplitCalls(branch.Then.Statements);
                    FindSplitCalls(branch.Else.Statements);
                    break;
                case While loop when !_checkpointed.ContainsKey(loop) && !_replayedBodies.ContainsKey(loop.Body):
                    FindSplitCalls(loop.Body.Statements);
                    break;
            }
        }
    }

    private void AddSplitCall(Stmt statement, Expr value)
    {
        var calls = IrWalker.Nodes(value).OfType<Call>().Where(c => c.Target.Kind == CallKind.Differentiable).ToList();
        if (calls.Count != 1 || calls[0].Target.Checkpoints || !IsReversed(value, calls[0])) return;
        _splitCalls[statement] = calls[0];
        _splitCallNodes.Add(calls[0]);
    }

    /// <summary>Whether reversing <paramref name="e"/> (ReverseModeTransform.Backpropagate) reaches <paramref name="call"/>.</summary>
    private bool IsReversed(Expr e, Call call)
    {
        if (!_activity.Depends(e)) return false;
        if (ReferenceEquals(e, call)) return true;
        return e switch
        {
            Unary { Op: UnaryOp.Negate } negate => IsReversed(negate.Operand, call),
            Cast cast => IsReversed(cast.Operand, call),
            Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder } binary =>
                IsReversed(binary.Left, call) || IsReversed(binary.Right, call),
            MathCall math => math.Arguments.Any(argument => IsReversed(argument, call)),
            _ => false,
        };
    }
}
