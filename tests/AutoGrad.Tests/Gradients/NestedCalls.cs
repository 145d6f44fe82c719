using H = AutoGrad.Tests.Gradients.MathHelpers;
using N = AutoGrad.Tests.Gradients.NestedCallFunctions;

namespace AutoGrad.Tests.Gradients;

public class NestedCalls
{
    private static double[] RandomPoint(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();
    }

    [Fact]
    public void CallInSameClass()
    {
        GradientCheck.Verify(
            p => N.CallsSameClass(p[0], p[1]),
            (p, g) => N.CallsSameClassGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => N.CallsSameClassPullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.7, 1.3], [-1.1, 0.4]);

        N.CallsSameClassGradient(0.7, 1.3, out var dx, out var dy);
        GradientCheck.AssertClose(3 * 0.49 * 1.3 - 3 * 0.36, dx, 1e-12);
        GradientCheck.AssertClose(0.343 + 3 * 0.36, dy, 1e-12);
    }

    [Fact]
    public void CallIntoOtherPartialClass() => GradientCheck.Verify(
        p => N.CallsOtherClass(p[0], p[1]),
        (p, g) => N.CallsOtherClassGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => N.CallsOtherClassPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void NestedCallChain()
    {
        GradientCheck.Verify(
            p => N.Level1(p[0], p[1]),
            (p, g) => N.Level1Gradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => N.Level1Pullback(p[0], p[1], s, ref g[0], ref g[1]),
            [0.7, 1.3], [-0.4, 0.8]);

        static double Level3Derivative(double x) => Math.Cos(x) * x + Math.Sin(x);
        static double Level2Derivative(double x) => 2 * Level3Derivative(2 * x) + Level3Derivative(x);
        N.Level2Gradient(0.9, out var dx);
        GradientCheck.AssertClose(Level2Derivative(0.9), dx, 1e-12);
    }

    [Fact]
    public void ArraysPassedThrough()
    {
        const int n = 4;
        GradientCheck.Verify(
            p => N.PassesArrays(p[..n], p[n..]),
            (p, g) => N.PassesArraysGradient(p[..n], p[n..], g.AsSpan(0, n), g.AsSpan(n)),
            (p, s, g) => N.PassesArraysPullback(p[..n], p[n..], s, g.AsSpan(0, n), g.AsSpan(n)),
            RandomPoint(1, 2 * n), RandomPoint(2, 2 * n));
    }

    [Fact]
    public void SameArrayPassedTwice()
    {
        GradientCheck.Verify(
            N.PassesSameArrayTwice,
            (p, g) => N.PassesSameArrayTwiceGradient(p, g),
            (p, s, g) => N.PassesSameArrayTwicePullback(p, s, g),
            RandomPoint(3, 5), RandomPoint(4, 2));

        var dx = new double[3];
        N.PassesSameArrayTwiceGradient([1, -2, 3], dx);
        Assert.Equal([3, -4, 6], dx);
    }

    [Fact]
    public void CallsInsideLoop()
    {
        const int n = 5;
        GradientCheck.Verify(
            p => N.CallsInLoop(p[..n], p[n]),
            (p, g) => N.CallsInLoopGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => N.CallsInLoopPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            RandomPoint(5, n + 1), RandomPoint(6, n + 1));
    }

    [Fact]
    public void CallsSplitIntoForwardAndReverseHalves()
    {
        const int n = 4;
        GradientCheck.Verify(
            p => N.CompoundsLogSumExp(p[..n], p[n]),
            (p, g) => N.CompoundsLogSumExpGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => N.CompoundsLogSumExpPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            [0.3, -0.2, 0.5, 0.1, 0.6], [-0.4, 0.2, 0.3, -0.1, 0.9]);

        // The caller's own halves nest the callee's in one record and leave it empty.
        double[] x = [0.3, -0.2, 0.5, 0.1];
        var expected = new double[n];
        double expectedRate = 0;
        N.CompoundsLogSumExpPullback(x, 0.6, 1.5, expected, ref expectedRate);
        var record = new AutoGrad.Differentiation.ForwardRecord();
        double value = N.CompoundsLogSumExpForward(x, 0.6, record);
        var dx = new double[n];
        double rate = 0;
        N.CompoundsLogSumExpReverse(x, 0.6, record, 1.5, dx, ref rate);
        Assert.Equal(N.CompoundsLogSumExp(x, 0.6), value);
        Assert.Equal(expected, dx);
        Assert.Equal(expectedRate, rate);
        Assert.True(record.IsEmpty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void CallsOnLoopCarriedValue(int n) => GradientCheck.Verify(
        p => N.CallsWithLoopCarriedValue(p[0], n),
        (p, g) => N.CallsWithLoopCarriedValueGradient(p[0], n, out g[0]),
        (p, s, g) => N.CallsWithLoopCarriedValuePullback(p[0], n, s, ref g[0]),
        [0.7], [-1.3]);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void IntAndBoolArgumentsPassedThrough(int n)
    {
        GradientCheck.Verify(
            p => N.PassesConstants(p[0], n),
            (p, g) => N.PassesConstantsGradient(p[0], n, out g[0]),
            (p, s, g) => N.PassesConstantsPullback(p[0], n, s, ref g[0]),
            [0.7], [-1.3]);

        N.PassesConstantsGradient(0.7, n, out var dx);
        var sign = n > 2 ? -1 : 1;
        GradientCheck.AssertClose(sign * (n + 1) * Math.Pow(0.7, n) + 3 * 0.49, dx, 1e-12);
    }

    [Fact]
    public void FloatCalls() => GradientCheck.VerifyFloat(
        p => Math.Pow(p[0] * p[1], 2) + Math.Pow(Math.Sin(p[0]), 2),
        (p, g) => N.FloatCallsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => N.FloatCallsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void HelpersOnTheirOwn()
    {
        GradientCheck.Verify(
            p => H.Sigmoid(p[0]),
            (p, g) => H.SigmoidGradient(p[0], out g[0]),
            (p, s, g) => H.SigmoidPullback(p[0], s, ref g[0]),
            [0.3], [-2.1]);

        var sigmoid = H.SigmoidGradient(0.3, out var dx);
        GradientCheck.AssertClose(sigmoid * (1 - sigmoid), dx, 1e-12);
    }

    [Fact]
    public void PassesNoGradientArray()
    {
        double[] w = [0.5, -1.5, 2.0, 0.25];
        GradientCheck.Verify(
            p => N.PassesNoGradientArray(p, w),
            (p, g) => N.PassesNoGradientArrayGradient(p, w, g),
            (p, s, g) => N.PassesNoGradientArrayPullback(p, w, s, g),
            [1, 2, 3, 4], [-0.5, 0.1, 0.7, 1.3]);
    }

    // The callee's gradient for w goes to a pooled scratch buffer that is not cleared: whatever a
    // previous user left in it (NaN here) must not reach the gradient that is returned.
    [Fact]
    public void NoGradientArrayScratchIsNeverRead()
    {
        double[] x = [1, 2, 3, 4], w = [0.5, -1.5, 2.0, 0.25];
        var poisoned = AutoGrad.Differentiation.BufferPool<double>.Rent(w.Length);
        Array.Fill(poisoned, double.NaN);
        AutoGrad.Differentiation.BufferPool<double>.Return(poisoned);

        var dx = new double[4];
        N.PassesNoGradientArrayGradient(x, w, dx);
        Assert.Equal([1.0, -3.0, 4.0, 0.5], dx);
    }

    [Fact]
    public void PassesStaticArray() => GradientCheck.Verify(
        N.PassesStaticArray,
        (p, g) => N.PassesStaticArrayGradient(p, g),
        (p, s, g) => N.PassesStaticArrayPullback(p, s, g),
        [1, 2, 3, 4], [-0.5, 0.1, 0.7, 1.3]);

    [Fact]
    public void InactiveCall() => GradientCheck.Verify(
        p => N.InactiveCall(p[0]),
        (p, g) => N.InactiveCallGradient(p[0], out g[0]),
        (p, s, g) => N.InactiveCallPullback(p[0], s, ref g[0]),
        [0.7], [-1.3]);

    [Fact]
    public void CallsWithNoGradientParameter()
    {
        const double w = 1.5;
        GradientCheck.Verify(
            p => N.CallsWithNoGradientParameter(p[0], w),
            (p, g) => N.CallsWithNoGradientParameterGradient(p[0], w, out g[0]),
            (p, s, g) => N.CallsWithNoGradientParameterPullback(p[0], w, s, ref g[0]),
            [0.7], [-1.3]);

        // 2w x^2 + 3 x^4
        N.CallsWithNoGradientParameterGradient(0.7, w, out var dx);
        GradientCheck.AssertClose(4 * w * 0.7 + 12 * Math.Pow(0.7, 3), dx, 1e-12);
    }

    [Fact]
    public void CallInLoopCondition() => GradientCheck.Verify(
        p => N.CallInLoopCondition(p[0]),
        (p, g) => N.CallInLoopConditionGradient(p[0], out g[0]),
        (p, s, g) => N.CallInLoopConditionPullback(p[0], s, ref g[0]),
        [0.7], [-1.3]);

    [Fact]
    public void CallResultOverwritten() => GradientCheck.Verify(
        N.CallResultOverwritten,
        (p, g) => N.CallResultOverwrittenGradient(p, g),
        (p, s, g) => N.CallResultOverwrittenPullback(p, s, g),
        [1, 2, 3], [-0.5, 0.1, 0.7, 2]);

    [Fact]
    public void CallsLoopingMethodsInLoop()
    {
        const int n = 4;
        GradientCheck.Verify(
            p => N.CallsLoopingMethodsInLoop(p[..n], p[n]),
            (p, g) => N.CallsLoopingMethodsInLoopGradient(p[..n], p[n], g.AsSpan(0, n), out g[n]),
            (p, s, g) => N.CallsLoopingMethodsInLoopPullback(p[..n], p[n], s, g.AsSpan(0, n), ref g[n]),
            RandomPoint(7, n + 1), RandomPoint(8, n + 1));
    }

    [Fact]
    public void SpanPassedToSpanParameters() => GradientCheck.Verify(
        p => N.PassesSpanToSpan(p),
        (p, g) => N.PassesSpanToSpanGradient(p, g),
        (p, s, g) => N.PassesSpanToSpanPullback(p, s, g),
        RandomPoint(9, 5), RandomPoint(10, 3));

    [Fact]
    public void LocalArrayRewrittenInLoopAndPassedToCallee() => GradientCheck.Verify(
        p => N.PassesRewrittenLocalArray(p, 3),
        (p, g) => N.PassesRewrittenLocalArrayGradient(p, 3, g),
        (p, s, g) => N.PassesRewrittenLocalArrayPullback(p, 3, s, g),
        RandomPoint(11, 4), RandomPoint(12, 2));
}
