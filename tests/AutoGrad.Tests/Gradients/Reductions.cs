using R = AutoGrad.Tests.Gradients.ReductionFunctions;

namespace AutoGrad.Tests.Gradients;

public class Reductions
{
    private static double[] RandomPoint(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();
    }

    private static void VerifyArray(Func<double[], double> f, Func<double[], double[], double> gradient, Action<double[], double, double[]> pullback) =>
        GradientCheck.Verify(f, (p, g) => gradient(p, g), (p, s, g) => pullback(p, s, g), RandomPoint(1, 7), RandomPoint(2, 1), RandomPoint(3, 12));

    [Fact]
    public void TwoAccumulators() => GradientCheck.Verify(
        p => R.TwoAccumulators(p[1..], p[0]),
        (p, g) => { var value = R.TwoAccumulatorsGradient(p[1..], p[0], g.AsSpan(1), out g[0]); return value; },
        (p, s, g) => R.TwoAccumulatorsPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        RandomPoint(4, 8), RandomPoint(5, 2), RandomPoint(6, 15));

    [Fact]
    public void SquaredTotal() => VerifyArray(R.SquaredTotal, (p, g) => R.SquaredTotalGradient(p, g), (p, s, g) => R.SquaredTotalPullback(p, s, g));

    [Fact]
    public void CarriedValue() => VerifyArray(R.CarriedValue, (p, g) => R.CarriedValueGradient(p, g), (p, s, g) => R.CarriedValuePullback(p, s, g));

    [Fact]
    public void RunningTotalRead() => VerifyArray(R.RunningTotalRead, (p, g) => R.RunningTotalReadGradient(p, g), (p, s, g) => R.RunningTotalReadPullback(p, s, g));

    [Fact]
    public void RestartedTotal() => VerifyArray(R.RestartedTotal, (p, g) => R.RestartedTotalGradient(p, g), (p, s, g) => R.RestartedTotalPullback(p, s, g));

    [Fact]
    public void TotalStartedAtExp() => VerifyArray(R.TotalStartedAtExp, (p, g) => R.TotalStartedAtExpGradient(p, g), (p, s, g) => R.TotalStartedAtExpPullback(p, s, g));

    [Fact]
    public void RestartedTotalsThroughSplitHalves() => VerifyArray(R.RestartedTotals, (p, g) => R.RestartedTotalsGradient(p, g), (p, s, g) => R.RestartedTotalsPullback(p, s, g));

    [Fact]
    public void LastValueKept() => VerifyArray(R.LastValueKept, (p, g) => R.LastValueKeptGradient(p, g), (p, s, g) => R.LastValueKeptPullback(p, s, g));

    [Fact]
    public void StridedSoftPlus() => GradientCheck.Verify(
        p => R.StridedSoftPlus(p[1..], p[0]),
        (p, g) => R.StridedSoftPlusGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => R.StridedSoftPlusPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        RandomPoint(7, 8), RandomPoint(8, 2), RandomPoint(9, 13));

    [Fact]
    public void LogisticLoss()
    {
        const int features = 3, samples = 5;
        var data = RandomPoint(11, features * samples);
        double[] labels = [1, 0, 1, 1, 0];
        GradientCheck.Verify(
            p => R.LogisticLoss(p[1..], p[0], data, labels),
            (p, g) => R.LogisticLossGradient(p[1..], p[0], data, labels, g.AsSpan(1), out g[0]),
            (p, s, g) => R.LogisticLossPullback(p[1..], p[0], data, labels, s, g.AsSpan(1), ref g[0]),
            RandomPoint(12, features + 1), RandomPoint(13, features + 1));
    }

    [Fact]
    public void MatrixSoftSquares() => GradientCheck.Verify(
        p => R.MatrixSoftSquares(p, 3),
        (p, g) => R.MatrixSoftSquaresGradient(p, 3, g),
        (p, s, g) => R.MatrixSoftSquaresPullback(p, 3, s, g),
        RandomPoint(14, 6), RandomPoint(15, 12));

    [Fact]
    public void TotalReadEarly()
    {
        var x = RandomPoint(16, 4);
        GradientCheck.Verify(
            p => R.TotalReadEarly(p, x),
            (p, g) => R.TotalReadEarlyGradient(p, x, g, new double[x.Length]),
            (p, s, g) => R.TotalReadEarlyPullback(p, x, s, g, new double[x.Length]),
            RandomPoint(17, 4), RandomPoint(18, 4));
    }

    [Fact]
    public void InnerReadsLaterValue() => VerifyArray(R.InnerReadsLaterValue, (p, g) => R.InnerReadsLaterValueGradient(p, g), (p, s, g) => R.InnerReadsLaterValuePullback(p, s, g));

    [Fact]
    public void TriangularProducts() => GradientCheck.Verify(
        p => R.TriangularProducts(p[1..], p[0]),
        (p, g) => R.TriangularProductsGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => R.TriangularProductsPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        RandomPoint(19, 6), RandomPoint(20, 9));

    [Fact]
    public void Hinge() => GradientCheck.Verify(
        p => R.Hinge(p[1..], p[0]),
        (p, g) => R.HingeGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => R.HingePullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        [0.7, 0.3, -2.1, 0.9, 1.8, -0.4], [1.3, 2.0, 0.2, -1.5, 0.6], RandomPoint(21, 9));

    [Fact]
    public void CappedTotal() => VerifyArray(R.CappedTotal, (p, g) => R.CappedTotalGradient(p, g), (p, s, g) => R.CappedTotalPullback(p, s, g));

    [Fact]
    public void Fused_gradients_allocate_nothing()
    {
        var x = RandomPoint(10, 64);
        var dx = new double[x.Length];
        R.TwoAccumulatorsGradient(x, 0.3, dx, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) R.TwoAccumulatorsGradient(x, 0.3, dx, out _);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
