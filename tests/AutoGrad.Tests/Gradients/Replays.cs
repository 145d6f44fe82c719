using AutoGrad.Differentiation;
using R = AutoGrad.Tests.Gradients.ReplayFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Replayed loops (see <see cref="ReplayFunctions"/>) and their look-alikes against finite differences.</summary>
public class Replays
{
    private const int D = 3;

    private delegate double Function(double[] w, double[] x, int d);

    private delegate double Gradient(double[] w, double[] x, int d, Span<double> dw, Span<double> dx);

    private delegate void Pullback(double[] w, double[] x, int d, double seed, Span<double> dw, Span<double> dx);

    // The first 3 inputs are w, the other 6 are x (2 rows of 3). A replay that saves nothing may keep its iterations
    // instead (ReplayBudget): with the default budget these 3-element scratches replay; then every run of such a loop
    // keeps, then the first runs keep and later ones replay.
    private static void Verify(Function f, Gradient gradient, Pullback pullback)
    {
        foreach (var (budget, least) in new[] { (ReplayBudget.Bytes, ReplayBudget.MinimumValues), (long.MaxValue, 0), (24L, 0) })
        {
            ReplayBudgets.With(budget, least, () => GradientCheck.Verify(
                p => f(p[..D], p[D..], D),
                (p, g) => gradient(p[..D], p[D..], D, g.AsSpan(0, D), g.AsSpan(D)),
                (p, s, g) => pullback(p[..D], p[D..], D, s, g.AsSpan(0, D), g.AsSpan(D)),
                [0.6, -0.3, 1.1, 0.4, 0.9, -0.7, 0.2, 1.3, -0.4], [-0.5, 1.2, 0.7, -0.2, 1.3, 0.8, -1.1, 0.3, 0.6]));
        }
    }

    [Fact]
    public void ScratchPerRow() => Verify(R.ScratchPerRow, R.ScratchPerRowGradient, R.ScratchPerRowPullback);

    [Fact]
    public void PartialFill() => Verify(R.PartialFill, R.PartialFillGradient, R.PartialFillPullback);

    [Fact]
    public void CarriedScalar() => Verify(R.CarriedScalar, R.CarriedScalarGradient, R.CarriedScalarPullback);

    [Fact]
    public void ScratchDeclaredInLoop() => Verify(ReplayInLoopFunctions.ScratchDeclaredInLoop, ReplayInLoopFunctions.ScratchDeclaredInLoopGradient, ReplayInLoopFunctions.ScratchDeclaredInLoopPullback);

    [Fact]
    public void ElementAccumulations() => Verify(ElementAccumulationFunctions.Accumulations, ElementAccumulationFunctions.AccumulationsGradient, ElementAccumulationFunctions.AccumulationsPullback);

    [Fact]
    public void KeptResults() => Verify(R.KeptResults, R.KeptResultsGradient, R.KeptResultsPullback);

    [Fact]
    public void KeptResultsReplayed() => Verify(R.KeptResultsReplayed, R.KeptResultsReplayedGradient, R.KeptResultsReplayedPullback);

    [Fact]
    public void KeptResultsThroughSplitHalves() => Verify(R.KeptResultsTwice, R.KeptResultsTwiceGradient, R.KeptResultsTwicePullback);

    [Fact]
    public void UnreadSums() => Verify(R.UnreadSums, R.UnreadSumsGradient, R.UnreadSumsPullback);

    /// <summary>
    /// The Hessian-vector product of a method whose reverse sweep may keep its iterations (<see cref="ReplayFunctions.UnreadSums"/>,
    /// whose replay saves nothing): the same bits kept, replayed and mixed, and the product against central differences of
    /// the gradient along the direction.
    /// </summary>
    [Fact]
    public void HessianVectorProductKeptOrReplayed()
    {
        double[] w = [0.6, -0.3, 1.1], x = [0.4, 0.9, -0.7, 0.2, 1.3, -0.4], vw = [0.5, -1.0, 0.25], vx = [1.0, 0.3, -0.6, 0.8, -0.2, 0.4];
        (double[] Gradient, double[] Product) Run(long bytes, int minimum) => ReplayBudgets.With(bytes, minimum, () =>
        {
            var g = new double[9];
            var h = new double[9];
            R.UnreadSumsHessianVectorProduct(w, x, D, vw, vx, g.AsSpan(0, D), g.AsSpan(D), h.AsSpan(0, D), h.AsSpan(D));
            return (g, h);
        });
        var replayed = Run(0, ReplayBudget.MinimumValues);
        foreach (var (budget, least) in new[] { (long.MaxValue, 0), (24L, 0) })
        {
            var kept = Run(budget, least);
            Assert.Equal(replayed.Gradient, kept.Gradient);
            Assert.Equal(replayed.Product, kept.Product);
        }
        double[] GradientAt(double step) => ReplayBudgets.With(long.MaxValue, 0, () =>
        {
            var g = new double[9];
            R.UnreadSumsGradient(w.Select((v, i) => v + step * vw[i]).ToArray(), x.Select((v, i) => v + step * vx[i]).ToArray(), D, g.AsSpan(0, D), g.AsSpan(D));
            return g;
        });
        var up = GradientAt(1e-5);
        var down = GradientAt(-1e-5);
        GradientCheck.AssertClose(up.Select((u, i) => (u - down[i]) / 2e-5).ToArray(), replayed.Product, 1e-5);
    }

    [Fact]
    public void ReadByLaterStatement() => Verify(R.ReadByLaterStatement, R.ReadByLaterStatementGradient, R.ReadByLaterStatementPullback);

    [Fact]
    public void CounterReadAfterLoop() => Verify(R.CounterReadAfterLoop, R.CounterReadAfterLoopGradient, R.CounterReadAfterLoopPullback);

    [Fact]
    public void CountersDeclaredBefore() => Verify(R.CountersDeclaredBefore, R.CountersDeclaredBeforeGradient, R.CountersDeclaredBeforePullback);

    [Fact]
    public void CounterReadAfterLoopThroughSplitHalves() => Verify(R.CounterReadAfterLoopTwice, R.CounterReadAfterLoopTwiceGradient, R.CounterReadAfterLoopTwicePullback);

    [Fact]
    public void ReadsItsOutput() => Verify(R.ReadsItsOutput, R.ReadsItsOutputGradient, R.ReadsItsOutputPullback);
}

/// <summary>Outputs stored once per element (see <see cref="OutputOnceFunctions"/>): each output against finite differences, and the caller's adjoint left as it was.</summary>
public class OutputsStoredOnce
{
    private delegate void Function(double r, double angle, Span<double> point);

    private delegate void Pullback(double r, double angle, Span<double> point, ReadOnlySpan<double> dpoint, ref double dr, ref double dangle);

    private static void Verify(Function f, Pullback pullback)
    {
        double[] weights = [0.7, -1.3];
        double Weighted(double[] p)
        {
            Span<double> point = stackalloc double[2];
            f(p[0], p[1], point);
            return weights[0] * point[0] + weights[1] * point[1];
        }
        GradientCheck.Verify(
            Weighted,
            (p, g) =>
            {
                g[0] = g[1] = 0;
                Span<double> point = stackalloc double[2];
                pullback(p[0], p[1], point, weights, ref g[0], ref g[1]);
                return Weighted(p);
            },
            (p, s, g) =>
            {
                Span<double> point = stackalloc double[2];
                double[] dpoint = [s * weights[0], s * weights[1]];
                pullback(p[0], p[1], point, dpoint, ref g[0], ref g[1]);
                Assert.Equal([s * weights[0], s * weights[1]], dpoint);
            },
            [1.3, 0.4], [0.6, -2.1]);
    }

    [Fact]
    public void Stored_once() => Verify(OutputOnceFunctions.Polar, OutputOnceFunctions.PolarPullback);

    [Fact]
    public void Stored_twice() => Verify(OutputOnceFunctions.StoredTwice, OutputOnceFunctions.StoredTwicePullback);
}
