using System.Reflection;
using M = AutoGrad.Tests.Gradients.ModeFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>NameTangent, NameHessianVectorProduct and NameJacobian against finite differences.</summary>
public class Modes
{
    private static readonly double[] s_labels = [1, -1, -1, 1, 1];
    private static readonly double[] s_features = [0.5, -1.2, 0.3, 1.5, 0.2, -0.7, -0.4, 0.9, 1.1, 0.05, -0.6, 0.8, 0.25, -0.35, 0.45];
    private const int Features = 3;

    [Fact]
    public void SeedTangentIsTheWorkedExampleAlongEachAxis()
    {
        M.SeedTangent(1, 2, 3, 4, 1, 0, 0, 0, out var da);
        M.SeedTangent(1, 2, 3, 4, 0, 0, 1, 0, out var dc);
        Assert.Equal(294, da);
        Assert.Equal(126, dc);
    }

    [Fact]
    public void Seed()
    {
        Check(p => M.Seed(p[0], p[1], p[2], p[3]),
            (p, g) => M.SeedGradient(p[0], p[1], p[2], p[3], out g[0], out g[1], out g[2], out g[3]),
            (double[] p, double[] v, out double t) => M.SeedTangent(p[0], p[1], p[2], p[3], v[0], v[1], v[2], v[3], out t),
            (p, v, g, h) => M.SeedHessianVectorProduct(p[0], p[1], p[2], p[3], v[0], v[1], v[2], v[3], out g[0], out g[1], out g[2], out g[3], out h[0], out h[1], out h[2], out h[3]),
            [1, 2, 3, 4], [-0.5, 1.25, 0.3, -2.2]);

        // f = (uv)^2 with u = a + b, v = c + d: d2f/da2 = 2 v^2, d2f/da dc = 4 u v.
        M.SeedHessianVectorProduct(1, 2, 3, 4, 1, 0, 0, 0, out _, out _, out _, out _, out var haa, out var hba, out var hca, out var hda);
        Assert.Equal([2 * 49.0, 2 * 49.0, 4 * 21.0, 4 * 21.0], new[] { haa, hba, hca, hda });
    }

    [Fact]
    public void Rosenbrock()
    {
        var random = new Random(3);
        var points = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 12).Select(_ => random.NextDouble() * 2 - 0.5).ToArray()).ToArray();
        Check(M.Rosenbrock, (p, g) => M.RosenbrockGradient(p, g),
            (double[] p, double[] v, out double t) => M.RosenbrockTangent(p, v, out t),
            (p, v, g, h) => M.RosenbrockHessianVectorProduct(p, v, g, h), points);

        // The Hessian in closed form at (1, ..., 1): tridiagonal with 802 / 1002 / 200 on the diagonal, -400 beside it.
        var ones = Enumerable.Repeat(1.0, 4).ToArray();
        var column = new double[4];
        M.RosenbrockHessianVectorProduct(ones, [0, 1, 0, 0], new double[4], column);
        Assert.Equal([-400, 1002, -400, 0], column);
    }

    [Fact]
    public void LogisticLoss() => Check(
        p => M.LogisticLoss(p[..Features], p[Features], s_features, s_labels, Features),
        (p, g) => M.LogisticLossGradient(p[..Features], p[Features], s_features, s_labels, Features, g.AsSpan(0, Features), out g[Features]),
        (double[] p, double[] v, out double t) => M.LogisticLossTangent(p[..Features], p[Features], s_features, s_labels, Features, v.AsSpan(0, Features), v[Features], out t),
        (p, v, g, h) => M.LogisticLossHessianVectorProduct(p[..Features], p[Features], s_features, s_labels, Features, v.AsSpan(0, Features), v[Features],
            g.AsSpan(0, Features), out g[Features], h.AsSpan(0, Features), out h[Features]),
        [0.3, -0.2, 0.5, 0.1], [-1.1, 0.4, 0.9, -0.3]);

    [Fact]
    public void EveryFunction() => Check(
        p => M.EveryFunction(p[0], p[1]),
        (p, g) => M.EveryFunctionGradient(p[0], p[1], out g[0], out g[1]),
        (double[] p, double[] v, out double t) => M.EveryFunctionTangent(p[0], p[1], v[0], v[1], out t),
        (p, v, g, h) => M.EveryFunctionHessianVectorProduct(p[0], p[1], v[0], v[1], out g[0], out g[1], out h[0], out h[1]),
        [0.31, 0.57], [0.62, 0.23]);

    [Fact]
    public void PolarArcReadsForwardValues() => Check(
        p => M.PolarArc(p[0], p[1]),
        (p, g) => M.PolarArcGradient(p[0], p[1], out g[0], out g[1]),
        (double[] p, double[] v, out double t) => M.PolarArcTangent(p[0], p[1], v[0], v[1], out t),
        (p, v, g, h) => M.PolarArcHessianVectorProduct(p[0], p[1], v[0], v[1], out g[0], out g[1], out h[0], out h[1]),
        [0.7, 1.4], [-0.9, 0.6]);

    [Fact]
    public void Branches() => Check(
        p => M.Branches(p[0], p[1]),
        (p, g) => M.BranchesGradient(p[0], p[1], out g[0], out g[1]),
        (double[] p, double[] v, out double t) => M.BranchesTangent(p[0], p[1], v[0], v[1], out t),
        (p, v, g, h) => M.BranchesHessianVectorProduct(p[0], p[1], v[0], v[1], out g[0], out g[1], out h[0], out h[1]),
        [0.7, 0.4], [-0.5, 1.3], [-1.6, 0.8]);

    [Fact]
    public void RepeatedSineThroughSavedValues() => Check(
        p => M.RepeatedSine(p[0], p[1], 6),
        (p, g) => M.RepeatedSineGradient(p[0], p[1], 6, out g[0], out g[1]),
        (double[] p, double[] v, out double t) => M.RepeatedSineTangent(p[0], p[1], 6, v[0], v[1], out t),
        (p, v, g, h) => M.RepeatedSineHessianVectorProduct(p[0], p[1], 6, v[0], v[1], out g[0], out g[1], out h[0], out h[1]),
        [0.8, 0.3], [-1.2, 0.9]);

    [Fact]
    public void SavedDecisionKeepsTangentStacksPaired() => Check(
        p => M.SavedDecision(p[0], 8),
        (p, g) => M.SavedDecisionGradient(p[0], 8, out g[0]),
        (double[] p, double[] v, out double t) => M.SavedDecisionTangent(p[0], 8, v[0], out t),
        (p, v, g, h) => M.SavedDecisionHessianVectorProduct(p[0], 8, v[0], out g[0], out h[0]),
        [0.9], [0.3], [1.3]);

    [Fact]
    public void BufferedSmoothing() => Check(
        p => M.BufferedSmoothing(p[..^1], p[^1]),
        (p, g) => M.BufferedSmoothingGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
        (double[] p, double[] v, out double t) => M.BufferedSmoothingTangent(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], out t),
        (p, v, g, h) => M.BufferedSmoothingHessianVectorProduct(p[..^1], p[^1], v.AsSpan(0, p.Length - 1), v[^1], g.AsSpan(0, p.Length - 1), out g[^1], h.AsSpan(0, p.Length - 1), out h[^1]),
        [0.4, -0.3, 0.9, -1.2, 0.6, 0.7], [-0.2, 0.5, 0.1, 0.8, -0.9, 1.4]);

    [Fact]
    public void ReassignedConstantCarriesATangent() => Check(
        p => M.ReassignedConstant(p[0], 1.7),
        (p, g) => M.ReassignedConstantGradient(p[0], 1.7, out g[0]),
        (double[] p, double[] v, out double t) => M.ReassignedConstantTangent(p[0], 1.7, v[0], out t),
        (p, v, g, h) => M.ReassignedConstantHessianVectorProduct(p[0], 1.7, v[0], out g[0], out h[0]),
        [0.4], [-1.3]);

    [Fact]
    public void FloatRosenbrock()
    {
        float[] x = [0.3f, -0.4f, 0.8f, 1.1f, -0.2f];
        float[] v = [0.5f, 0.1f, -0.7f, 0.2f, 0.9f];
        var value = M.FloatRosenbrockTangent(x, v, out var tangent);
        var reference = x.Select(e => (double)e).ToArray();
        var direction = v.Select(e => (double)e).ToArray();
        GradientCheck.AssertClose(M.Rosenbrock(reference), value, GradientCheck.FloatTolerance);
        GradientCheck.AssertClose(ModeCheck.Directional(M.Rosenbrock, reference, direction), tangent, GradientCheck.FloatTolerance);

        var gradient = new float[x.Length];
        var product = new float[x.Length];
        M.FloatRosenbrockHessianVectorProduct(x, v, gradient, product);
        var expected = new double[x.Length];
        M.RosenbrockHessianVectorProduct(reference, direction, new double[x.Length], expected);
        GradientCheck.AssertClose(expected, product.Select(e => (double)e).ToArray(), GradientCheck.FloatTolerance);
    }

    [Fact]
    public void VoidTangentWritesEachOutputsDerivative()
    {
        double[] x = [0.3, -0.8, 0.5, 1.2];
        double[] w = [0.7, -0.4, 0.25];
        foreach (var outputs in new[] { 3, 7 })
        {
            foreach (var direction in ModeCheck.Directions(x.Length + 1))
            {
                var output = new double[outputs];
                var tangent = Enumerable.Repeat(99.0, outputs).ToArray();
                M.MixingTangent(x, 1.3, w, output, direction.AsSpan(0, x.Length), direction[^1], tangent);
                double[] Run(double[] p)
                {
                    var o = new double[outputs];
                    M.Mixing(p[..^1], p[^1], w, o);
                    return o;
                }
                double[] point = [.. x, 1.3];
                Assert.Equal(Run(point), output);
                var h = 1e-6 * 1.3;
                var up = Run(ModeCheck.Along(point, direction, h));
                var down = Run(ModeCheck.Along(point, direction, -h));
                GradientCheck.AssertClose([.. up.Select((u, i) => (u - down[i]) / (2 * h))], tangent, GradientCheck.Tolerance, "output tangent");
            }
        }
    }

    [Theory]
    [InlineData(2)] // rows <= inputs: a pullback per row
    [InlineData(9)] // rows > inputs: a tangent per column
    public void JacobianOfResiduals(int samples)
    {
        var t = Enumerable.Range(0, samples).Select(i => 0.4 * i).ToArray();
        var y = t.Select(ti => 2 * Math.Exp(-0.7 * ti) + 0.1 + 0.01 * Math.Sin(9 * ti)).ToArray();
        double[] point = [1.8, 0.6, 0.2];
        var residuals = new double[samples];
        var columns = new double[3][];
        for (var c = 0; c < 3; c++) columns[c] = Enumerable.Repeat(-5.0, samples).ToArray();
        M.ExponentialResidualsJacobian(point[0], point[1], point[2], t, y, residuals, columns[0], columns[1], columns[2]);

        double[] Run(double[] p)
        {
            var r = new double[samples];
            M.ExponentialResiduals(p[0], p[1], p[2], t, y, r);
            return r;
        }
        Assert.Equal(Run(point), residuals);
        for (var r = 0; r < samples; r++)
        {
            var row = FiniteDifferences.Gradient(p => Run(p)[r], point);
            for (var c = 0; c < 3; c++) GradientCheck.AssertClose(row[c], columns[c][r], GradientCheck.Tolerance, $"J[{r}, {c}]");
        }
    }

    [Theory]
    [InlineData(3)] // rows <= inputs (5)
    [InlineData(8)] // rows > inputs
    public void JacobianOfAnArrayInputIsRowMajor(int outputs)
    {
        double[] x = [0.3, -0.8, 0.5, 1.2];
        double[] w = [0.7, -0.4, 0.25];
        var output = new double[outputs];
        var jx = Enumerable.Repeat(7.0, outputs * x.Length).ToArray();
        var jscale = Enumerable.Repeat(7.0, outputs).ToArray();
        M.MixingJacobian(x, 1.3, w, output, jx, jscale);

        double[] point = [.. x, 1.3];
        for (var r = 0; r < outputs; r++)
        {
            var row = FiniteDifferences.Gradient(p =>
            {
                var o = new double[outputs];
                M.Mixing(p[..^1], p[^1], w, o);
                return o[r];
            }, point);
            GradientCheck.AssertClose(row[..^1], jx.AsSpan(r * x.Length, x.Length).ToArray(), GradientCheck.Tolerance, $"row {r} of jx");
            GradientCheck.AssertClose(row[^1], jscale[r], GradientCheck.Tolerance, $"jscale[{r}]");
        }
        var expectedOutput = new double[outputs];
        M.Mixing(x, 1.3, w, expectedOutput);
        Assert.Equal(expectedOutput, output);

        // The one-matrix layout: each row's columns are x's, then scale's.
        var matrix = Enumerable.Repeat(7.0, outputs * (x.Length + 1)).ToArray();
        M.MixingJacobian(x, 1.3, w, new double[outputs], matrix);
        for (var r = 0; r < outputs; r++)
        {
            Assert.Equal(jx.AsSpan(r * x.Length, x.Length).ToArray(), matrix.AsSpan(r * (x.Length + 1), x.Length).ToArray());
            Assert.Equal(jscale[r], matrix[r * (x.Length + 1) + x.Length]);
        }
    }

    // Each row path against central differences and against one pullback per row; whether the rows share one
    // forward sweep (a private __NameJacobianRows) is part of what is checked.
    // Recurrence's rows go two per reverse sweep (the second as the first's tangent), an odd last one alone;
    // Projection calls a helper, so one row per sweep.
    [Theory]
    [InlineData(nameof(M.Projection), 0.9, 2, true)]
    [InlineData(nameof(M.Projection), 0.01, 2, true)] // the other branch
    [InlineData(nameof(M.Recurrence), 0.9, 2, true)]
    [InlineData(nameof(M.Recurrence), 0.9, 3, true)]
    [InlineData(nameof(M.Recurrence), 0.9, 5, true)]
    [InlineData(nameof(M.InPlace), 0.9, 4, false)]
    [InlineData(nameof(M.Buffered), 0.9, 3, false)] // its reverse sweep restores the buffer's elements
    public void JacobianRowsMatchFiniteDifferencesAndPullbacks(string method, double angle, int rows, bool oneForwardSweep)
    {
        double[] x = [0.3, -0.8, angle, 1.2, 0.4];
        const double scale = 1.7;
        var jx = Enumerable.Repeat(7.0, rows * x.Length).ToArray();
        var jscale = Enumerable.Repeat(7.0, rows).ToArray();
        var output = new double[rows];
        double[] Run(double[] p)
        {
            var o = new double[rows];
            if (method == nameof(M.Projection)) M.Projection(p[..^1], p[^1], o);
            else if (method == nameof(M.Recurrence)) M.Recurrence(p[..^1], p[^1], o);
            else if (method == nameof(M.Buffered)) M.Buffered(p[..^1], p[^1], o);
            else M.InPlace(p[..^1], o);
            return o;
        }
        void Pullback(double[] seed, double[] dx, ref double dscale)
        {
            var o = new double[rows];
            if (method == nameof(M.Projection)) M.ProjectionPullback(x, scale, o, seed, dx, ref dscale);
            else if (method == nameof(M.Recurrence)) M.RecurrencePullback(x, scale, o, seed, dx, ref dscale);
            else if (method == nameof(M.Buffered)) M.BufferedPullback(x, scale, o, seed, dx, ref dscale);
            else M.InPlacePullback(x, o, seed, dx);
        }
        if (method == nameof(M.Projection)) M.ProjectionJacobian(x, scale, output, jx, jscale);
        else if (method == nameof(M.Recurrence)) M.RecurrenceJacobian(x, scale, output, jx, jscale);
        else if (method == nameof(M.Buffered)) M.BufferedJacobian(x, scale, output, jx, jscale);
        else M.InPlaceJacobian(x, output, jx);

        Assert.Equal(oneForwardSweep, typeof(M).GetMethod("__" + method + "JacobianRows", BindingFlags.NonPublic | BindingFlags.Static) is not null);
        if (method != nameof(M.InPlace)) // with two differentiable parameters: the one-matrix layout holds the same entries
        {
            var matrix = Enumerable.Repeat(7.0, rows * (x.Length + 1)).ToArray();
            if (method == nameof(M.Projection)) M.ProjectionJacobian(x, scale, new double[rows], matrix);
            else if (method == nameof(M.Recurrence)) M.RecurrenceJacobian(x, scale, new double[rows], matrix);
            else M.BufferedJacobian(x, scale, new double[rows], matrix);
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(jx.AsSpan(r * x.Length, x.Length).ToArray(), matrix.AsSpan(r * (x.Length + 1), x.Length).ToArray());
                Assert.Equal(jscale[r], matrix[r * (x.Length + 1) + x.Length]);
            }
        }
        double[] point = [.. x, scale];
        Assert.Equal(Run(point), output);
        for (var r = 0; r < rows; r++)
        {
            var row = FiniteDifferences.Gradient(p => Run(p)[r], point);
            GradientCheck.AssertClose(row[..^1], jx.AsSpan(r * x.Length, x.Length).ToArray(), GradientCheck.Tolerance, $"row {r} of jx");
            var seed = new double[rows];
            seed[r] = 1;
            var dx = new double[x.Length];
            double dscale = 0;
            Pullback(seed, dx, ref dscale);
            Assert.Equal(dx, jx.AsSpan(r * x.Length, x.Length).ToArray());
            if (method == nameof(M.InPlace)) continue;
            GradientCheck.AssertClose(row[^1], jscale[r], GradientCheck.Tolerance, $"jscale[{r}]");
            Assert.Equal(dscale, jscale[r]);
        }
    }

    [Fact]
    public void LengthsAreChecked()
    {
        var error = Assert.Throws<ArgumentException>(() => M.RosenbrockTangent(new double[4], new double[3], out _));
        Assert.Equal("tx", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => M.RosenbrockHessianVectorProduct(new double[4], new double[4], new double[4], new double[5]));
        Assert.Equal("hx", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => M.MixingJacobian(new double[4], 1, [1.0], new double[3], new double[11], new double[3]));
        Assert.Equal("jx", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => M.MixingJacobian(new double[4], 1, [1.0], new double[3], new double[14]));
        Assert.Equal("jacobian", error.ParamName);
    }

    private static void Check(Func<double[], double> f, GradientOf gradient, TangentOf tangent, HessianVectorOf hessianVector, params double[][] points)
    {
        ModeCheck.VerifyTangent(f, gradient, tangent, points);
        ModeCheck.VerifyHessianVector(f, gradient, hessianVector, points);
    }
}
