using System.Collections.Generic;
using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

internal sealed partial class ReversePlan
{
    /// <summary>
    /// The library functions whose derivative is written in terms of their result and that cost tens
    /// of cycles (a call into libm): more than pushing the result and popping it back.
    /// </summary>
    private static readonly HashSet<string> s_costlyResults = ["Exp", "Tanh", "Tan", "Cbrt"];

    private readonly Dictionary<Assign, IReadOnlyList<MathCall>> _keptResults = new(ReferenceComparer<Assign>.Instance);

    /// <summary>
    /// The costly calls inside an assignment in a loop whose results the reverse sweep needs
    /// (<c>sum = sum + Math.Exp(v - max)</c>: the derivative of exp is exp): the forward sweep pushes each
    /// result and the reverse sweep pops it, instead of calling again. Distinct calls, in evaluation order.
    /// </summary>
    public IReadOnlyList<MathCall> KeptResults(Assign assign) => _keptResults.TryGetValue(assign, out var kept) ? kept : [];

    private void FindKeptResults(Block block, int depth)
    {
        // A statement the replay leaves out has nothing pushed for its reverse to pop.
        foreach (var statement in block.Statements.Where(IsReplayed))
        {
            switch (statement)
            {
                case Assign assign when depth > 0 && IsActiveAssignment(assign) && SplitCallOf(assign) is null
                                        && !IrWalker.Nodes(assign.Value).Any(n => n is Call):
                    var kept = new List<MathCall>();
                    CollectKeptResults(assign.Value, top: true, kept);
                    if (kept.Count > 0) _keptResults[assign] = kept;
                    break;
                case If branch:
                    FindKeptResults(branch.Then, depth);
                    FindKeptResults(branch.Else, depth);
                    break;
                case While loop:
                    FindKeptResults(loop.Body, depth + 1);
                    break;
            }
        }
    }

    /// <summary>
    /// The calls the reverse code of the expression (Backpropagate) evaluates for their results: reached
    /// through active operands of arithmetic and calls, not under a conditional (whose branches run
    /// lazily). The expression itself is not one: its value is the target's, which the reverse sweep may still hold.
    /// </summary>
    private void CollectKeptResults(Expr e, bool top, List<MathCall> kept)
    {
        if (!_activity.Depends(e)) return;
        switch (e)
        {
            case Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } binary:
                CollectKeptResults(binary.Left, top: false, kept);
                CollectKeptResults(binary.Right, top: false, kept);
                break;
            case Unary { Op: UnaryOp.Negate } negate:
                CollectKeptResults(negate.Operand, top: false, kept);
                break;
            case Cast cast:
                CollectKeptResults(cast.Operand, top: false, kept);
                break;
            case MathCall call:
                foreach (var argument in call.Arguments) CollectKeptResults(argument, top: false, kept);
                if (!top && call.Arguments.Count == 1 && s_costlyResults.Contains(call.Function) && DerivativeRules.ReadsResult(call) && !kept.Contains(call))
                    kept.Add(call);
                break;
        }
    }
}
