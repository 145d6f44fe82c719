using C = AutoGrad.Tests.Gradients.ModeCallFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>NameTangent and NameJacobian through calls, against finite differences and the reverse gradient along the direction.</summary>
public class ModeCalls
{
    private static readonly double[] s_constants = [0.2, -0.6, 1.1];

    [Fact]
    public void ScalarHelperInALoopByItsPullback() => ModeCheck.VerifyTangent(
        p => C.BumpChain(p[..^1], p[^1]),
        (p, g) => C.BumpChainGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => C.BumpChainTangent(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], out t),
        [0.4, -0.3, 0.9, -1.2, 0.7], [1.1, 0.5, -0.8, 0.2, -0.6]);

    [Fact]
    public void ArrayHelperOnWholeArraysWindowsAndBuffers() => ModeCheck.VerifyTangent(
        p => C.Blocks(p[..^1], p[^1]),
        (p, g) => C.BlocksGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => C.BlocksTangent(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], out t),
        [0.4, -0.3, 0.9, -1.2, 0.35], [0.1, 0.5, -0.8, 0.2, 0.6, 0.8]);

    [Fact]
    public void DerivativeOfRules() => ModeCheck.VerifyTangent(
        p => C.Rules(p[0], p[1]),
        (p, g) => C.RulesGradient(p[0], p[1], out g[0], out g[1]),
        (double[] p, double[] v, out double t) => C.RulesTangent(p[0], p[1], v[0], v[1], out t),
        [0.4, 1.3], [-0.9, 0.7]);

    [Fact]
    public void CalleeWithItsOwnTangent() => ModeCheck.VerifyTangent(
        p => C.Outer(p[..^1], p[^1], s_constants),
        (p, g) => C.OuterGradient(p[..^1], p[^1], s_constants, g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => C.OuterTangent(p[..^1], p[^1], s_constants, v.AsSpan(0, p.Length - 1), v[^1], out t),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, -0.45]);

    [Fact]
    public void VoidHelperWithItsOwnTangentWritesABuffer() => ModeCheck.VerifyTangent(
        p => C.Energy(p[..^1], p[^1]),
        (p, g) => C.EnergyGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => C.EnergyTangent(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], out t),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, -0.45]);

    [Fact]
    public void VoidHelperWithItsOwnTangentWritesWindows() => ModeCheck.VerifyTangent(
        p => C.Halves(p[..^1], p[^1]),
        (p, g) => C.HalvesGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => C.HalvesTangent(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], out t),
        [0.4, -0.3, 0.9, 0.8], [1.1, 0.5, -0.8, 0.3, -0.45]);

    [Fact]
    public void SinglePrecision()
    {
        float[] x = [0.3f, -0.4f, 0.8f, 1.1f];
        float[] v = [0.5f, 0.1f, -0.7f, 0.2f];
        const float w = 0.6f, tw = -0.3f;
        var value = C.BlocksFTangent(x, w, v, tw, out var tangent);
        var dx = new float[x.Length];
        C.BlocksFGradient(x, w, dx, out var dw);
        GradientCheck.AssertClose(C.BlocksF(x, w), value, 1e-6);
        GradientCheck.AssertClose(dx.Select((d, i) => (double)d * v[i]).Sum() + (double)dw * tw, tangent, GradientCheck.FloatTolerance, "tangent against the gradient");
        double F(double[] p) => C.BlocksF([.. p[..^1].Select(e => (float)e)], (float)p[^1]);
        double[] point = [.. x.Select(e => (double)e), w];
        double[] direction = [.. v.Select(e => (double)e), tw];
        GradientCheck.AssertClose(ModeCheck.Directional(F, point, direction, 1e-3), tangent, GradientCheck.FloatTolerance, "tangent");
    }

    [Theory]
    [InlineData(1)] // 2 rows, 2 inputs: a pullback per row
    [InlineData(3)] // 6 rows, 4 inputs: a tangent per column, through the calls
    public void JacobianThroughCalls(int n)
    {
        double[] x = [.. new[] { 0.4, -0.3, 0.9 }.Take(n)];
        const double a = 0.8;
        var output = new double[2 * n];
        var jx = Enumerable.Repeat(7.0, 2 * n * n).ToArray();
        var ja = Enumerable.Repeat(7.0, 2 * n).ToArray();
        C.ChainJacobian(x, a, output, jx, ja);

        double[] Run(double[] p)
        {
            var o = new double[2 * n];
            C.Chain(p[..^1], p[^1], o);
            return o;
        }
        double[] point = [.. x, a];
        Assert.Equal(Run(point), output);
        for (var r = 0; r < 2 * n; r++)
        {
            var row = FiniteDifferences.Gradient(p => Run(p)[r], point);
            GradientCheck.AssertClose(row[..^1], jx.AsSpan(r * n, n).ToArray(), GradientCheck.Tolerance, $"row {r} of jx");
            GradientCheck.AssertClose(row[^1], ja[r], GradientCheck.Tolerance, $"ja[{r}]");

            // The same row by the pullback.
            var seed = new double[2 * n];
            seed[r] = 1;
            var dx = new double[n];
            double da = 0;
            C.ChainPullback(x, a, new double[2 * n], seed, dx, ref da);
            GradientCheck.AssertClose(dx, jx.AsSpan(r * n, n).ToArray(), 1e-10, $"row {r} of jx against the pullback");
            GradientCheck.AssertClose(da, ja[r], 1e-10, $"ja[{r}] against the pullback");
        }
    }

    [Fact]
    public void NothingAllocatedAfterWarmUp()
    {
        double[] x = [0.4, -0.3, 0.9, -1.2];
        double[] v = [0.1, 0.5, -0.8, 0.2];
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.BumpChainTangent(x, 0.7, v, 0.3, out _)));
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.BlocksTangent(x, 0.7, v, 0.3, out _)));
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.RulesTangent(0.4, 1.3, 0.3, -0.2, out _)));
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.OuterTangent(x, 0.7, s_constants, v, 0.3, out _)));
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.EnergyTangent(x, 0.7, v, 0.3, out _)));
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.HalvesTangent(x, 0.7, v, 0.3, out _)));
        var output = new double[8];
        var jx = new double[32];
        var ja = new double[8];
        Assert.Equal(0, Allocation.AllocatedBytes(() => C.ChainJacobian(x, 0.7, output, jx, ja)));
    }
}
