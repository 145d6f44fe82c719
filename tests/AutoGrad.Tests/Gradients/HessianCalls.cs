using C = AutoGrad.Tests.Gradients.HessianCallFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>NameHessianVectorProduct through calls (each callee's NamePullbackTangent), against finite differences of the generated gradient and a closed form.</summary>
public class HessianCalls
{
    [Fact]
    public void ScalarCalleeInALoopMatchesTheClosedForm()
    {
        double[] x = [0.4, -1.3, 0.9, 2.0];
        double[] v = [0.5, 0.25, -1.0, 0.75];
        var g = new double[x.Length];
        var h = new double[x.Length];
        var value = C.SumOfCubesHessianVectorProduct(x, v, g, h);
        GradientCheck.AssertClose(x.Sum(e => e * e * e), value, 1e-12, "value");
        GradientCheck.AssertClose([.. x.Select(e => 3 * e * e)], g, 1e-12, "gradient");
        GradientCheck.AssertClose([.. x.Select((e, i) => 6 * e * v[i])], h, 1e-12, "Hessian-vector product");
        ModeCheck.VerifyHessianVector(
            C.SumOfCubes,
            (p, d) => C.SumOfCubesGradient(p, d),
            (p, d, g, h) => C.SumOfCubesHessianVectorProduct(p, d, g, h),
            x, [1.1, 0.5, -0.8, 0.2]);
    }

    [Fact]
    public void ScalarCalleeWithTwoParameters() => ModeCheck.VerifyHessianVector(
        p => C.Bump(p[0], p[1]),
        (p, g) => C.BumpGradient(p[0], p[1], out g[0], out g[1]),
        (p, v, g, h) => C.BumpHessianVectorProduct(p[0], p[1], v[0], v[1], out g[0], out g[1], out h[0], out h[1]),
        [0.4, 1.3], [-0.9, 0.7]);

    [Fact]
    public void NestedCallees() => ModeCheck.VerifyHessianVector(
        p => C.Nested(p[..^1], p[^1]),
        (p, g) => C.NestedGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.NestedHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, 0.45]);

    [Fact]
    public void CalleesOnWindowsWholeArraysAndBuffers() => ModeCheck.VerifyHessianVector(
        p => C.Energy(p[..^1], p[^1]),
        (p, g) => C.EnergyGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.EnergyHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8, 0.6], [1.1, 0.5, -0.8, 0.2, -0.6, 0.35]);

    [Fact]
    public void VoidCallee() => ModeCheck.VerifyHessianVector(
        p => C.Smoothed(p[..^1], p[^1]),
        (p, g) => C.SmoothedGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.SmoothedHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, -0.45]);

    [Fact]
    public void VoidCalleeWhoseOutputNothingReads() => ModeCheck.VerifyHessianVector(
        p => C.UnreadOutput(p[..^1], p[^1]),
        (p, g) => C.UnreadOutputGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.UnreadOutputHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, -0.45]);

    [Fact]
    public void VoidCalleesOnWindowsAndNested() => ModeCheck.VerifyHessianVector(
        p => C.Halves(p[..^1], p[^1]),
        (p, g) => C.HalvesGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.HalvesHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8, 0.7], [1.1, 0.5, -0.8, 0.3, -0.45]);

    [Fact]
    public void VoidCalleeRewritingABuffer() => ModeCheck.VerifyHessianVector(
        p => C.Rewritten(p[..^1], p[^1]),
        (p, g) => C.RewrittenGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (p, v, g, h) => C.RewrittenHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, 0.45]);

    [Fact]
    public void ConstantArgumentsAndComputedOnes()
    {
        double[] c = [0.7, -1.2, 0.4];
        ModeCheck.VerifyHessianVector(
            p => C.Constants(p, c),
            (p, g) => C.ConstantsGradient(p, c, g),
            (p, v, g, h) => C.ConstantsHessianVectorProduct(p, c, v, g, h),
            [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, 0.45]);
    }

    [Fact]
    public void PullbackTangentOfACalleeAlone()
    {
        // d/dt of the pullback at (v + t tv, seed + t tseed): the gradient's tangent is seed H tv + tseed g.
        double[] v = [0.4, -0.3, 0.9];
        double[] tv = [0.5, 0.1, -0.7];
        const double w = 0.8, tw = -0.3, seed = 1.5, tseed = 0.25;
        var dv = new double[3];
        var tdv = new double[3];
        double dw = 0, tdw = 0;
        var value = C.NestedPullbackTangent(v, w, tv, tw, seed, tseed, dv, ref dw, tdv, ref tdw);
        GradientCheck.AssertClose(C.Nested(v, w), value, 1e-12, "value");
        var g = new double[4];
        C.NestedGradient(v, w, g.AsSpan(0, 3), out g[3]);
        GradientCheck.AssertClose([.. g.Select(e => seed * e)], [.. dv, dw], 1e-12, "gradient");
        var hv = ModeCheck.GradientDirectional((p, d) => C.NestedGradient(p[..^1], p[^1], d.AsSpan(0, 3), out d[^1]), [.. v, w], [.. tv, tw]);
        GradientCheck.AssertClose([.. hv.Select((e, i) => seed * e + tseed * g[i])], [.. tdv, tdw], GradientCheck.Tolerance, "tangent of the gradient");
    }

    [Fact]
    public void SinglePrecision()
    {
        float[] x = [0.3f, -0.4f, 0.8f];
        float[] v = [0.5f, 0.1f, -0.7f];
        var g = new float[3];
        var h = new float[3];
        C.SumOfCubesFHessianVectorProduct(x, v, g, h);
        // f = x0 (x0³ + x1³ + x2³) = x0⁴ + x0 x1³ + x0 x2³: its Hessian times v, by hand.
        double x0 = x[0], x1 = x[1], x2 = x[2], v0 = v[0], v1 = v[1], v2 = v[2];
        double[] expected =
        [
            12 * x0 * x0 * v0 + 3 * x1 * x1 * v1 + 3 * x2 * x2 * v2,
            3 * x1 * x1 * v0 + 6 * x0 * x1 * v1,
            3 * x2 * x2 * v0 + 6 * x0 * x2 * v2,
        ];
        GradientCheck.AssertClose(expected, [.. h.Select(e => (double)e)], GradientCheck.FloatTolerance, "Hessian-vector product");
    }
}
