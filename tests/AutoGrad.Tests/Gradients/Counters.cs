using C = AutoGrad.Tests.Gradients.CounterFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Counted loops (see <see cref="CounterFunctions"/>) against finite differences.</summary>
public class Counters
{
    private static readonly double[][] Points = [[0.6, -0.3, 1.1, 0.4, 0.9], [-0.5, 1.2, 0.7, -0.2, 1.3]];

    private delegate double Gradient(double[] x, Span<double> dx);

    private delegate void Pullback(double[] x, double seed, Span<double> dx);

    private static void Verify(Func<double[], double> f, Gradient gradient, Pullback pullback) =>
        GradientCheck.Verify(f, (p, g) => gradient(p, g), (p, s, g) => pullback(p, s, g), Points);

    [Fact]
    public void Triangle() => Verify(C.Triangle, C.TriangleGradient, C.TrianglePullback);

    [Fact]
    public void Downwards() => Verify(C.Downwards, C.DownwardsGradient, C.DownwardsPullback);

    [Fact]
    public void SharedCounter() => Verify(C.SharedCounter, C.SharedCounterGradient, C.SharedCounterPullback);

    [Fact]
    public void CounterReadAfter() => Verify(C.CounterReadAfter, C.CounterReadAfterGradient, C.CounterReadAfterPullback);

    [Fact]
    public void MovingBound() => Verify(C.MovingBound, C.MovingBoundGradient, C.MovingBoundPullback);

    [Fact]
    public void SkippedSteps() => Verify(C.SkippedSteps, C.SkippedStepsGradient, C.SkippedStepsPullback);
}
