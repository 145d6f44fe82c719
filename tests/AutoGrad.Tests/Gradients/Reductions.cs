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
    public void LastValueKept() => VerifyArray(R.LastValueKept, (p, g) => R.LastValueKeptGradient(p, g), (p, s, g) => R.LastValueKeptPullback(p, s, g));

    [Fact]
    public void StridedSoftPlus() => GradientCheck.Verify(
        p => R.StridedSoftPlus(p[1..], p[0]),
        (p, g) => R.StridedSoftPlusGradient(p[1..], p[0], g.AsSpan(1), out g[0]),
        (p, s, g) => R.StridedSoftPlusPullback(p[1..], p[0], s, g.AsSpan(1), ref g[0]),
        RandomPoint(7, 8), RandomPoint(8, 2), RandomPoint(9, 13));

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
