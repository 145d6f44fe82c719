using C = AutoGrad.Tests.Gradients.CustomDerivativeFunctions;

namespace AutoGrad.Tests.Gradients;

public class CustomDerivatives
{
    [Fact]
    public void ScalarRule()
    {
        GradientCheck.Verify(
            p => C.SoftPlusLayer(p[0], p[1], p[2]),
            (p, g) => C.SoftPlusLayerGradient(p[0], p[1], p[2], out g[0], out g[1], out g[2]),
            (p, s, g) => C.SoftPlusLayerPullback(p[0], p[1], p[2], s, ref g[0], ref g[1], ref g[2]),
            [0.7, 1.3, -0.2], [-1.1, 0.4, 2.5]);

        const double x = 0.7, w = 1.3, b = -0.2;
        C.SoftPlusLayerGradient(x, w, b, out var dx, out var dw, out var db);
        var sigmoid = 1 / (1 + Math.Exp(-(w * x + b)));
        GradientCheck.AssertClose(C.SoftPlus(w * x + b) + sigmoid * w * x, dx, 1e-12);
        GradientCheck.AssertClose(sigmoid * x * x, dw, 1e-12);
        GradientCheck.AssertClose(sigmoid * x, db, 1e-12);
    }

    [Fact]
    public void ScalarRuleInsideLoop()
    {
        var random = new Random(7);
        GradientCheck.Verify(
            C.SoftPlusInLoop,
            (p, g) => C.SoftPlusInLoopGradient(p, g),
            (p, s, g) => C.SoftPlusInLoopPullback(p, s, g),
            [0.5, 1.5, -2, 3], Enumerable.Range(0, 7).Select(_ => 4 * random.NextDouble() - 2).ToArray());
    }

    [Fact]
    public void ArrayRule()
    {
        const int n = 5;
        GradientCheck.Verify(
            p => C.LogSumOfExp(p[..n], p[n]),
            (p, g) => C.LogSumOfExpGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => C.LogSumOfExpPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            [0.5, 2.5, -1, 1.5, 0, 1.2], [-0.3, 0.1, 0.9, -2, 1, -0.7]);

        double[] x = [0.5, 2.5, -1, 1.5, 0];
        var dx = new double[n];
        C.LogSumOfExpGradient(x, 1, dx, out var dt);
        var sum = x.Sum(Math.Exp);
        GradientCheck.AssertClose(x.Select(v => Math.Exp(v) / sum).ToArray(), dx, 1e-12);
        GradientCheck.AssertClose(Math.Log(sum), dt, 1e-12);
    }

    [Fact]
    public void RuleWithTwoInputsAndAConstant() => GradientCheck.Verify(
        p => C.ScaledSoftPlusTwice(p[0], p[1]),
        (p, g) => C.ScaledSoftPlusTwiceGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => C.ScaledSoftPlusTwicePullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    /// <summary>The rule, not the true derivative (zero almost everywhere), decides the gradient.</summary>
    [Fact]
    public void RuleOverridesTheTrueDerivative()
    {
        var value = C.QuantizedProductGradient(0.6, 3, out var dx, out var dy);

        Assert.Equal(0.5 * 3, value);
        Assert.Equal(3, dx);
        Assert.Equal(0.5, dy);

        double ax = 1, ay = 1;
        C.QuantizedProductPullback(0.6, 3, 2, ref ax, ref ay);
        C.QuantizedProductPullback(0.6, 3, 2, ref ax, ref ay);
        Assert.Equal(1 + 2 * 2 * 3, ax);
        Assert.Equal(1 + 2 * 2 * 0.5, ay);
    }

    [Fact]
    public void FloatRule() => GradientCheck.VerifyFloat(
        p => Math.Log(1 + Math.Exp(p[0] * p[1])) + p[1],
        (p, g) => C.SoftPlusF2Gradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => C.SoftPlusF2Pullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void RuleWithNoGradientArray()
    {
        double[] w = [0.5, -1.5, 2.0];
        GradientCheck.Verify(
            p => C.RuleWithNoGradientArray(p, w),
            (p, g) => C.RuleWithNoGradientArrayGradient(p, w, g),
            (p, s, g) => C.RuleWithNoGradientArrayPullback(p, w, s, g),
            [1, 2, 3], [-0.5, 0.1, 0.7]);
    }

    [Fact]
    public void RuleCallInBranchAndLoop() => GradientCheck.Verify(
        p => C.RuleCallInBranchAndLoop(p[0], 6),
        (p, g) => C.RuleCallInBranchAndLoopGradient(p[0], 6, out g[0]),
        (p, s, g) => C.RuleCallInBranchAndLoopPullback(p[0], 6, s, ref g[0]),
        [0.7], [1.3]);
}
