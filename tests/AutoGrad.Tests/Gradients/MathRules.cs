using M = AutoGrad.Tests.Gradients.MathRuleFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 5: the Math functions AutoGrad now has rules for, and constants read through predicates.</summary>
public class MathRules
{
    [Fact]
    public void InverseHyperbolicsAndSignFunctions()
    {
        GradientCheck.Verify(
            p => M.Inverses(p[0], p[1]),
            (p, g) => M.InversesGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => M.InversesPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.7, 1.3], [-0.45, 0.4], [0.3, -0.8]);
        // Forward mode reads the same table: the tangent along e1 is the first partial.
        M.InversesGradient(0.7, 1.3, out var dx, out _);
        M.InversesTangent(0.7, 1.3, 1, 0, out var tangent);
        Assert.Equal(dx, tangent, 12);
    }

    [Fact]
    public void SingleSpellings() => GradientCheck.VerifyFloat(
        p => Math.Asinh(p[0] * p[1]) + Math.Acosh(2 + p[0] * p[0]) + Math.CopySign(p[0], p[1]) * p[1] + Math.MaxMagnitude(p[0], p[1]) + Math.ScaleB(p[1], -1),
        (p, g) => M.InversesSingleGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => M.InversesSinglePullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-0.45, 0.8]);

    [Fact]
    public void PredicatesAndIntegerValuedFunctionsAreConstants() => GradientCheck.Verify(
        p => M.Constants(p[0], p[1]),
        (p, g) => M.ConstantsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => M.ConstantsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.33], [-0.45, 0.42]);
}
