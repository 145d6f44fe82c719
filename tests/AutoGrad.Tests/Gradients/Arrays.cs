using A = AutoGrad.Tests.Gradients.ArrayFunctions;

namespace AutoGrad.Tests.Gradients;

public class Arrays
{
    private static double[] RandomPoint(int seed, int length, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }

    [Fact]
    public void Rosenbrock()
    {
        GradientCheck.Verify(
            A.Rosenbrock,
            (p, g) => A.RosenbrockGradient(p, g),
            (p, s, g) => A.RosenbrockPullback(p, s, g),
            [1.2, 0.8, -0.5, 2.0], RandomPoint(1, 10, 1.5), RandomPoint(2, 2));

        double[] x = [1.2, 0.8, -0.5, 2.0];
        var dx = new double[x.Length];
        A.RosenbrockGradient(x, dx);
        var expected = new double[x.Length];
        for (var i = 0; i < x.Length - 1; i++)
        {
            expected[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            expected[i + 1] += 200 * (x[i + 1] - x[i] * x[i]);
        }
        GradientCheck.AssertClose(expected, dx, 1e-12);
    }

    [Fact]
    public void RosenbrockMinimumHasZeroGradient()
    {
        var dx = new double[5];
        Assert.Equal(0, A.RosenbrockGradient([1, 1, 1, 1, 1], dx));
        Assert.All(dx, d => Assert.Equal(0, d));
    }

    [Fact]
    public void Dot()
    {
        const int n = 6;
        GradientCheck.Verify(
            p => A.Dot(p[..n], p[n..]),
            (p, g) => A.DotGradient(p[..n], p[n..], g.AsSpan(0, n), g.AsSpan(n)),
            (p, s, g) => A.DotPullback(p[..n], p[n..], s, g.AsSpan(0, n), g.AsSpan(n)),
            RandomPoint(3, 2 * n), RandomPoint(4, 2 * n, 3));

        double[] a = [1, 2, 3], b = [-4, 5, 0.5];
        var da = new double[3];
        var db = new double[3];
        A.DotGradient(a, b, da, db);
        Assert.Equal(b, da);
        Assert.Equal(a, db);
    }

    [Fact]
    public void GradientSpanOfWrongLengthThrows()
    {
        Assert.Throws<ArgumentException>(() => A.RosenbrockGradient([1, 2, 3], new double[2]));
        Assert.Throws<ArgumentException>(() => A.DotPullback([1, 2], [3, 4], 1, new double[2], new double[3]));
    }

    [Fact]
    public void MirroredIndex() => GradientCheck.Verify(
        A.MirrorProducts,
        (p, g) => A.MirrorProductsGradient(p, g),
        (p, s, g) => A.MirrorProductsPullback(p, s, g),
        RandomPoint(5, 7), RandomPoint(6, 8));

    [Fact]
    public void StridedIndexIntoSpan() => GradientCheck.Verify(
        p => A.PairProducts(p),
        (p, g) => A.PairProductsGradient(p, g),
        (p, s, g) => A.PairProductsPullback(p, s, g),
        RandomPoint(7, 9), RandomPoint(8, 6));

    [Fact]
    public void ForEachOverArray()
    {
        GradientCheck.Verify(
            A.ForEachSquares,
            (p, g) => A.ForEachSquaresGradient(p, g),
            (p, s, g) => A.ForEachSquaresPullback(p, s, g),
            RandomPoint(9, 5), RandomPoint(10, 3, 4));

        double[] x = [1, -2, 0.5];
        var dx = new double[3];
        A.ForEachSquaresGradient(x, dx);
        Assert.Equal(x.Select(v => 3 * v * v), dx);
    }

    [Fact]
    public void ForEachOverSpan()
    {
        const int n = 5;
        GradientCheck.Verify(
            p => A.ForEachOverSpan(p.AsSpan(0, n), p[n]),
            (p, g) => A.ForEachOverSpanGradient(p.AsSpan(0, n), p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => A.ForEachOverSpanPullback(p.AsSpan(0, n), p[n], s, g.AsSpan(0, n), ref g[n]),
            RandomPoint(11, n + 1), RandomPoint(12, n + 1, 2));
    }

    [Fact]
    public void LogSumExpGradientIsSoftmax()
    {
        GradientCheck.Verify(
            p => A.LogSumExp(p),
            (p, g) => A.LogSumExpGradient(p, g),
            (p, s, g) => A.LogSumExpPullback(p, s, g),
            RandomPoint(13, 6, 3), [0.5, 2.5, -1, 1.5]);

        double[] x = [0.5, 2.5, -1, 1.5];
        var dx = new double[x.Length];
        A.LogSumExpGradient(x, dx);
        var sum = x.Sum(Math.Exp);
        GradientCheck.AssertClose(x.Select(v => Math.Exp(v) / sum).ToArray(), dx, 1e-12);
    }

    [Fact]
    public void HornerWithScalarAndArray()
    {
        const int n = 5;
        GradientCheck.Verify(
            p => A.Horner(p[..n], p[n]),
            (p, g) => A.HornerGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => A.HornerPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            RandomPoint(14, n + 1, 2), [1, -2, 0.5, 3, -1, 0.7]);

        // p(x) = sum c_i x^i: dp/dc_i = x^i and dp/dx = p'(x).
        double[] c = [1, -2, 0.5, 3, -1];
        var dc = new double[n];
        A.HornerGradient(c, 0.7, dc, out var dx);
        GradientCheck.AssertClose(Enumerable.Range(0, n).Select(i => Math.Pow(0.7, i)).ToArray(), dc, 1e-12);
        GradientCheck.AssertClose(Enumerable.Range(1, n - 1).Sum(i => i * c[i] * Math.Pow(0.7, i - 1)), dx, 1e-12);
    }

    [Fact]
    public void NoGradientArray()
    {
        double[] weights = [0.5, -1, 2, 3];
        GradientCheck.Verify(
            p => A.WeightedSquares(p, weights),
            (p, g) => A.WeightedSquaresGradient(p, weights, g),
            (p, s, g) => A.WeightedSquaresPullback(p, weights, s, g),
            RandomPoint(15, 4), RandomPoint(16, 4, 5));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(2, 5)]
    public void IntParametersDriveIndices(int stride, int offset) => GradientCheck.Verify(
        p => A.StridedSum(p, stride, offset),
        (p, g) => A.StridedSumGradient(p, stride, offset, g),
        (p, s, g) => A.StridedSumPullback(p, stride, offset, s, g),
        RandomPoint(17, 8), RandomPoint(18, 11, 3));

    [Fact]
    public void IndexChosenByData()
    {
        GradientCheck.Verify(
            A.ArgMaxProduct,
            (p, g) => A.ArgMaxProductGradient(p, g),
            (p, s, g) => A.ArgMaxProductPullback(p, s, g),
            [0.5, 2, -1, 1.5], [3, 1, 2], RandomPoint(19, 6));

        var dx = new double[4];
        A.ArgMaxProductGradient([0.5, 2, -1, 1.5], dx);
        Assert.Equal([2, 0.5, 0, 0], dx);
    }

    [Fact]
    public void NonlinearRecurrenceOverArray() => GradientCheck.Verify(
        A.RecurrentProduct,
        (p, g) => A.RecurrentProductGradient(p, g),
        (p, s, g) => A.RecurrentProductPullback(p, s, g),
        RandomPoint(20, 6), RandomPoint(21, 12, 1.2));

    [Fact]
    public void Norm()
    {
        GradientCheck.Verify(
            p => A.Norm(p),
            (p, g) => A.NormGradient(p, g),
            (p, s, g) => A.NormPullback(p, s, g),
            [3, 4], RandomPoint(22, 7));

        var dx = new double[2];
        Assert.Equal(5, A.NormGradient([3, 4], dx));
        GradientCheck.AssertClose([0.6, 0.8], dx, 1e-12);
    }

    [Fact]
    public void FloatArrayAndScalar()
    {
        const int n = 4;
        GradientCheck.VerifyFloat(
            p => p[..n].Sum(v => (v - p[n]) * (v - p[n])),
            (p, g) => A.SumOfSquaresFGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => A.SumOfSquaresFPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            RandomPoint(23, n + 1), RandomPoint(24, n + 1, 2));
    }

    [Fact]
    public void FloatSpan() => GradientCheck.VerifyFloat(
        p => p.Sum(v => Math.Log(1 + Math.Exp(v))),
        (p, g) => A.SpanSoftSumFGradient(p, g),
        (p, s, g) => A.SpanSoftSumFPullback(p, s, g),
        RandomPoint(25, 5, 3), RandomPoint(26, 3));

    [Fact]
    public void IntegerOverwrittenNonInvertibly() => GradientCheck.Verify(
        A.IntegerOverwrittenNonInvertibly,
        (p, g) => A.IntegerOverwrittenNonInvertiblyGradient(p, g),
        (p, s, g) => A.IntegerOverwrittenNonInvertiblyPullback(p, s, g),
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6], [1, 2, 3, 4]);

    [Fact]
    public void ForEachWithBreak() => GradientCheck.Verify(
        A.ForEachWithBreak,
        (p, g) => A.ForEachWithBreakGradient(p, g),
        (p, s, g) => A.ForEachWithBreakPullback(p, s, g),
        [0.5, 0.3, -0.2, 0.9], [0.5, 0.3, 0.2, 0.9]);

    [Fact]
    public void StaticMembers() => GradientCheck.Verify(
        p => A.StaticMembers(p[0]),
        (p, g) => A.StaticMembersGradient(p[0], out g[0]),
        (p, s, g) => A.StaticMembersPullback(p[0], s, ref g[0]),
        [0.7], [-1.3]);

    [Fact]
    public void MaxInLoop() => GradientCheck.Verify(
        A.MaxInLoop,
        (p, g) => A.MaxInLoopGradient(p, g),
        (p, s, g) => A.MaxInLoopPullback(p, s, g),
        [0.5, 0.3, -0.2, 0.9, 1.4], [2.5, 0.3, 0.2, 0.9]);

    [Fact]
    public void FloatValueStack() => GradientCheck.VerifyFloat(
        p => { double h = 0; foreach (var v in p) h = Math.Tanh(h * 0.8 + v); return h; },
        (p, g) => A.FloatValueStackGradient(p, g),
        (p, s, g) => A.FloatValueStackPullback(p, s, g),
        [0.5, -0.3, 0.8, 0.1], [1, -1, 0.5]);
}
