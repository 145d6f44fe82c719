using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>The running extremes (see <see cref="FindRunningExtremes"/>), with the argument that is not the target.</summary>
    private readonly Dictionary<Assign, Expr> _runningExtremes = new(ReferenceComparer<Assign>.Instance);

    /// <summary>
    /// The other argument of a running extreme <c>x = Math.Max(x, v)</c> (or Min, either order),
    /// whose reverse takes the branch from the result instead of the old value, which it does not
    /// save; null for any other assignment.
    /// </summary>
    public Expr? RunningExtremeOperand(Assign assign) => _runningExtremes.TryGetValue(assign, out var other) ? other : null;

    /// <summary>
    /// Finds the running extremes: <c>x = Math.Max(x, v)</c> (or Min, either order) that is the only
    /// statement of its loop (or is itself the statement) touching <c>x</c>, preceded in its block by
    /// an assignment of <c>x</c> that does not read it, with nothing in between touching <c>x</c>.
    /// The reverse gives the adjoint to <c>v</c> where <c>v</c> is not below the result x holds (above,
    /// for Min), else to the old <c>x</c>, which then equals the result: so the old value need not be
    /// restored. Without restores x holds the last result, which is the true one wherever the adjoint
    /// reaching a statement is not zero: an execution whose result is <c>v</c> leaves nothing for the
    /// old value, whose only reader it is, and one whose result is the old value leaves it unchanged.
    /// On ties <c>v</c> gets the adjoint (the usual rule gives it to the first argument); NaN goes to
    /// <c>v</c>, as the usual rule does, since no comparison with it holds.
    /// </summary>
    private void FindRunningExtremes(Block block)
    {
        var statements = block.Statements;
        for (var index = 0; index < statements.Count; index++)
        {
            switch (statements[index])
            {
                case Assign assign when RunningExtremeOperandOf(assign) is { } other:
                    if (StartedBefore(statements, index, assign.Target)) _runningExtremes[assign] = other;
                    break;
                case While loop:
                    foreach (var assign in loop.Body.Statements.OfType<Assign>())
                    {
                        if (RunningExtremeOperandOf(assign) is not { } operand) continue;
                        var onlyToucher = !IrWalker.Reads(loop.Condition, assign.Target)
                            && loop.Body.Statements.All(s => ReferenceEquals(s, assign) || !IrWalker.Touches(s, assign.Target))
                            && !loop.Step.Statements.Any(s => IrWalker.Touches(s, assign.Target));
                        if (onlyToucher && StartedBefore(statements, index, assign.Target)) _runningExtremes[assign] = operand;
                    }
                    FindRunningExtremes(loop.Body);
                    break;
                case If branch:
                    FindRunningExtremes(branch.Then);
                    FindRunningExtremes(branch.Else);
                    break;
            }
        }
    }

    /// <summary>The <c>v</c> of an active <c>x = Math.Max(x, v)</c>, <c>Math.Max(v, x)</c> (or Min) on a local <c>x</c>, when <c>v</c> does not read <c>x</c> and calls nothing.</summary>
    private Expr? RunningExtremeOperandOf(Assign assign)
    {
        if (assign.Value is not MathCall { Function: "Max" or "Min", Arguments.Count: 2 } call || !IsActiveAssignment(assign)
            || _variables[assign.Target].Kind == VariableKind.Parameter || assign.Target == _method.ResultVariable
            || call.Type != _variables[assign.Target].Type) return null;
        bool IsTarget(Expr e) => e is VarRef v && v.Name == assign.Target;
        var other = IsTarget(call.Arguments[0]) ? call.Arguments[1] : IsTarget(call.Arguments[1]) ? call.Arguments[0] : null;
        if (other is null || IrWalker.Reads(other, assign.Target)) return null;
        return IrWalker.Nodes(other).All(n => n is VarRef or Constant or ElementRead or Binary or Unary or Cast or MathCall) ? other : null;
    }

    /// <summary>
    /// Whether the last statement before <paramref name="index"/> touching the variable assigns it
    /// without reading it, and its reverse does not take its own result from the variable (which
    /// then holds the running extreme's last result instead).
    /// </summary>
    private bool StartedBefore(EquatableArray<Stmt> statements, int index, string variable)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (!IrWalker.Touches(statements[i], variable)) continue;
            return statements[i] is Assign start && start.Target == variable && !IrWalker.Reads(start.Value, variable)
                && !(IsActiveAssignment(start) && UsesOwnResult(start.Value));
        }
        return false;
    }
}
