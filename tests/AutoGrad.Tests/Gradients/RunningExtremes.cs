using E = AutoGrad.Tests.Gradients.RunningExtremeFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Running extremes (see <see cref="RunningExtremeFunctions"/>): against finite differences away from ties, and their rule at ties and NaN.</summary>
public class RunningExtremes
{
    private const int D = 3;

    private delegate double Function(double[] x, int d);

    private delegate double Gradient(double[] x, int d, Span<double> dx);

    private delegate void Pullback(double[] x, int d, double seed, Span<double> dx);

    // Three rows of three, no two elements of a row equal (so no ties); the maximum first, in the middle, last.
    private static void Verify(Function f, Gradient gradient, Pullback pullback) => GradientCheck.Verify(
        p => f(p, D),
        (p, g) => gradient(p, D, g),
        (p, s, g) => pullback(p, D, s, g),
        [0.9, -0.3, 0.4, 0.2, 1.3, -0.7, -0.5, 0.3, 0.6], [1.4, 1.2, -0.7, -0.2, 0.8, 0.5, -1.1, 0.3, 1.7]);

    [Fact]
    public void RowExtremes() => Verify(E.RowExtremes, E.RowExtremesGradient, E.RowExtremesPullback);

    [Fact]
    public void ThroughSplitHalves() => Verify(E.RowExtremesThroughSplitHalves, E.RowExtremesThroughSplitHalvesGradient, E.RowExtremesThroughSplitHalvesPullback);

    [Fact]
    public void ReadInLoop() => Verify(E.ReadInLoop, E.ReadInLoopGradient, E.ReadInLoopPullback);

    [Fact]
    public void ReadBeforeLoop() => Verify(E.ReadBeforeLoop, E.ReadBeforeLoopGradient, E.ReadBeforeLoopPullback);

    [Fact]
    public void StartReadsOwnResult() => Verify(E.StartReadsOwnResult, E.StartReadsOwnResultGradient, E.StartReadsOwnResultPullback);

    [Fact]
    public void TiesGoToTheRunningOperand()
    {
        // x = Math.Max(x, v) gives a tie to v (its result is all the reverse has); a plain Max to its first argument.
        Assert.Equal(3.0, E.RunningPairGradient(3.0, 3.0, out var da, out var db));
        Assert.Equal((0.0, 1.0), (da, db));
        E.PlainPairGradient(3.0, 3.0, out da, out db);
        Assert.Equal((1.0, 0.0), (da, db));

        // In a loop the last of equal maxima gets it: row 0 is [1, 3, 3].
        var gradient = new double[D];
        E.RowMaximumGradient([1.0, 3.0, 3.0], gradient);
        Assert.Equal([0.0, 0.0, 1.0], gradient);
    }

    [Fact]
    public void NaNGoesToTheLastOperand()
    {
        // Every comparison with NaN is false, so the adjoint goes to the operand compared last, as the
        // plain rule (old >= v) sends it to v: the result is NaN whichever element was NaN.
        var gradient = new double[D];
        Assert.True(double.IsNaN(E.RowMaximumGradient([1.0, double.NaN, 2.0], gradient)));
        Assert.Equal([0.0, 0.0, 1.0], gradient);
        Assert.True(double.IsNaN(E.RowMaximumGradient([double.NaN, 1.0, 2.0], gradient)));
        Assert.Equal([0.0, 0.0, 1.0], gradient);
    }
}
