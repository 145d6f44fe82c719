using System.Linq;
using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Emit;

/// <summary>
/// Whether a generated pullback can run inside a GPU kernel (ILGPU compiles static methods over scalars): every
/// parameter a scalar, and a body of scalar arithmetic, branches, loops and Math calls only — no pooled stack or
/// buffer, no record, no array, no call into other methods. A kind of code or expression this does not know
/// counts as unsafe, so a new IR kind can only make the mark rarer, never wrong.
/// </summary>
internal static class KernelSafety
{
    public static bool IsKernelSafe(GradientProgram program) =>
        program.Failure is null
        && !program.ReturnsVoid
        && program.Parameters.All(p => p.Shape == ParameterShape.Scalar)
        && program.CoreBody.All(IsSafe);

    private static bool IsSafe(Code code) => code switch
    {
        Declare declare => IsSafe(declare.Value),
        Set set => IsSafe(set.Value),
        Accumulate accumulate => accumulate.Target is VarRef && IsSafe(accumulate.Value),
        Step => true,
        IfCode branch => IsSafe(branch.Condition) && branch.Then.All(IsSafe) && branch.Else.All(IsSafe),
        WhileCode loop => IsSafe(loop.Condition) && loop.Body.All(IsSafe),
        Repeat repeat => IsSafe(repeat.Count) && repeat.Body.All(IsSafe),
        Comment or StatementComment => true,
        ReturnCode ret => IsSafe(ret.Value),
        _ => false,
    };

    private static bool IsSafe(Expr expr) => expr switch
    {
        Constant or VarRef => true,
        Unary unary => IsSafe(unary.Operand),
        Binary binary => IsSafe(binary.Left) && IsSafe(binary.Right),
        Conditional conditional => IsSafe(conditional.Condition) && IsSafe(conditional.WhenTrue) && IsSafe(conditional.WhenFalse),
        Cast cast => IsSafe(cast.Operand),
        MathCall call => call.Arguments.All(IsSafe),
        _ => false,
    };
}
