using L = AutoGrad.Tests.Gradients.LaneLoopFunctions;
using M = AutoGrad.Tests.Gradients.ModeFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// NameTangent of loops that run in a vector's lanes: at every length around the lane width (no lane
/// iteration, some, a remainder), the value is the method's to the bit (sums taken in the loop's order)
/// and the tangent is the gradient along the direction; finite differences at two points.
/// </summary>
public class LaneLoops
{
    private static readonly int[] s_lengths = [.. Enumerable.Range(0, 22), 100, 1001];

    private static double[] Random(int length, int seed, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => low + (high - low) * random.NextDouble())];
    }

    private static void AssertSameBits(double expected, double actual, int length) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"length {length}: the tangent's value {actual:R} is not the method's {expected:R}");

    private static void AssertAlongGradient(double[] gradient, double[] direction, double tangent, int length) =>
        GradientCheck.AssertClose(gradient.Select((g, i) => g * direction[i]).Sum(), tangent, 1e-10, $"tangent at length {length}");

    [Fact]
    public void Rosenbrock()
    {
        foreach (var n in s_lengths)
        {
            double[] x = Random(n, n), t = Random(n, n + 100), g = new double[n];
            var value = M.RosenbrockTangent(x, t, out var tangent);
            AssertSameBits(M.Rosenbrock(x), value, n);
            M.RosenbrockGradient(x, g);
            AssertAlongGradient(g, t, tangent, n);
        }
    }

    [Fact]
    public void SmoothedCurvature()
    {
        foreach (var n in s_lengths)
        {
            double[] x = Random(n, n), t = Random(n, n + 100), g = new double[n];
            var value = L.SmoothedCurvatureTangent(x, 0.01, t, 0.5, out var tangent);
            AssertSameBits(L.SmoothedCurvature(x, 0.01), value, n);
            L.SmoothedCurvatureGradient(x, 0.01, g, out var dEpsilon);
            AssertAlongGradient([.. g, dEpsilon], [.. t, 0.5], tangent, n);
        }
        ModeCheck.VerifyTangent(p => L.SmoothedCurvature(p[..^1], p[^1]),
            (p, g) => L.SmoothedCurvatureGradient(p[..^1], p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
            (double[] p, double[] v, out double t) => L.SmoothedCurvatureTangent(p[..^1], p[^1], v[..^1], v[^1], out t),
            [.. Random(13, 1), 0.05], [.. Random(13, 2), 0.2]);
    }

    [Fact]
    public void WeightedDeviations()
    {
        foreach (var n in s_lengths)
        {
            double[] x = Random(n, n), w = Random(n, n + 50, 0.5, 2), t = Random(n, n + 100), g = new double[n];
            var value = L.WeightedDeviationsTangent(x, w, 0.1, t, -0.7, out var tangent);
            AssertSameBits(L.WeightedDeviations(x, w, 0.1), value, n);
            L.WeightedDeviationsGradient(x, w, 0.1, g, out var dCentre);
            AssertAlongGradient([.. g, dCentre], [.. t, -0.7], tangent, n);
        }
        var weights = Random(11, 3, 0.5, 2);
        ModeCheck.VerifyTangent(p => L.WeightedDeviations(p[..^1], weights, p[^1]),
            (p, g) => L.WeightedDeviationsGradient(p[..^1], weights, p[^1], g.AsSpan(0, p.Length - 1), out g[^1]),
            (double[] p, double[] v, out double t) => L.WeightedDeviationsTangent(p[..^1], weights, p[^1], v[..^1], v[^1], out t),
            [.. Random(10, 4), 0.03], [.. Random(10, 5), -0.2]);
    }

    [Fact]
    public void ClippedSquares()
    {
        foreach (var n in s_lengths)
        {
            double[] x = Random(n, n, -2, 2), t = Random(n, n + 100), g = new double[n];
            var value = L.ClippedSquaresTangent(x, t, out var tangent);
            AssertSameBits(L.ClippedSquares(x), value, n);
            L.ClippedSquaresGradient(x, g);
            AssertAlongGradient(g, t, tangent, n);
        }
        ModeCheck.VerifyTangent(L.ClippedSquares, (p, g) => L.ClippedSquaresGradient(p, g),
            (double[] p, double[] v, out double t) => L.ClippedSquaresTangent(p, v, out t),
            Random(9, 8, -2, 2), Random(9, 9, -2, 2));
    }

    [Fact]
    public void RowDistances()
    {
        foreach (var n in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 13, 30 })
        {
            double[] a = Random(n * n, n), x = Random(n, n + 7), ta = Random(n * n, n + 100), tx = Random(n, n + 200);
            double[] ga = new double[n * n], gx = new double[n];
            var value = L.RowDistancesTangent(a, x, n, ta, tx, out var tangent);
            AssertSameBits(L.RowDistances(a, x, n), value, n);
            L.RowDistancesGradient(a, x, n, ga, gx);
            AssertAlongGradient([.. ga, .. gx], [.. ta, .. tx], tangent, n);
        }
        const int size = 6;
        ModeCheck.VerifyTangent(p => L.RowDistances(p[..(size * size)], p[(size * size)..], size),
            (p, g) => L.RowDistancesGradient(p[..(size * size)], p[(size * size)..], size, g.AsSpan(0, size * size), g.AsSpan(size * size)),
            (double[] p, double[] v, out double t) => L.RowDistancesTangent(p[..(size * size)], p[(size * size)..], size, v[..(size * size)], v[(size * size)..], out t),
            Random(size * size + size, 6), Random(size * size + size, 7));
    }

    [Fact]
    public void TrendResiduals()
    {
        foreach (var n in s_lengths)
        {
            double[] y = Random(n, n), t = Random(n, n + 100), g = new double[n];
            var value = L.TrendResidualsTangent(y, 0.01, -0.2, t, 0.3, -0.4, out var tangent);
            AssertSameBits(L.TrendResiduals(y, 0.01, -0.2), value, n);
            L.TrendResidualsGradient(y, 0.01, -0.2, g, out var dSlope, out var dIntercept);
            AssertAlongGradient([.. g, dSlope, dIntercept], [.. t, 0.3, -0.4], tangent, n);
        }
    }

    [Fact]
    public void FloatSquares()
    {
        foreach (var n in s_lengths)
        {
            var x = Random(n, n).Select(v => (float)v).ToArray();
            var t = Random(n, n + 100).Select(v => (float)v).ToArray();
            var g = new float[n];
            var value = L.FloatSquaresTangent(x, t, out var tangent);
            Assert.True(BitConverter.SingleToInt32Bits(L.FloatSquares(x)) == BitConverter.SingleToInt32Bits(value), $"length {n}: value {value:R}");
            L.FloatSquaresGradient(x, g);
            var along = g.Select((gi, i) => (double)gi * t[i]).Sum();
            Assert.True(Math.Abs(along - tangent) <= 1e-4 * Math.Max(1, Math.Abs(along)), $"length {n}: tangent {tangent} against {along}");
        }
    }
}
