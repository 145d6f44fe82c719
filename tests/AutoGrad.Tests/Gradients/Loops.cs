using L = AutoGrad.Tests.Gradients.LoopFunctions;

namespace AutoGrad.Tests.Gradients;

public class Loops
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void IntegerPower(int n)
    {
        GradientCheck.Verify(
            p => L.IntegerPower(p[0], n),
            (p, g) => L.IntegerPowerGradient(p[0], n, out g[0]),
            (p, s, g) => L.IntegerPowerPullback(p[0], n, s, ref g[0]),
            [1.3], [-0.7]);

        L.IntegerPowerGradient(1.3, n, out var dx);
        GradientCheck.AssertClose(n * Math.Pow(1.3, n - 1), dx, 1e-12);
    }

    [Fact]
    public void DataDependentTripCount()
    {
        GradientCheck.Verify(
            p => L.Halvings(p[0]),
            (p, g) => L.HalvingsGradient(p[0], out g[0]),
            (p, s, g) => L.HalvingsPullback(p[0], s, ref g[0]),
            [0.7], [3.0], [37.5]);

        // 37.5 is halved 6 times: y = x / 64, so f = x^2 / 64.
        L.HalvingsGradient(37.5, out var dx);
        Assert.Equal(2 * 37.5 / 64, dx, 12);
    }

    [Fact]
    public void NewtonIterationConvergesToSqrtDerivative()
    {
        GradientCheck.Verify(
            p => L.NewtonSqrt(p[0]),
            (p, g) => L.NewtonSqrtGradient(p[0], out g[0]),
            (p, s, g) => L.NewtonSqrtPullback(p[0], s, ref g[0]),
            [2.0], [9.5]);

        L.NewtonSqrtGradient(2.0, out var dx);
        GradientCheck.AssertClose(0.5 / Math.Sqrt(2.0), dx, 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void NonlinearLoopCarriedValue(int steps) => GradientCheck.Verify(
        p => L.RepeatedSine(p[0], p[1], steps),
        (p, g) => L.RepeatedSineGradient(p[0], p[1], steps, out g[0], out g[1]),
        (p, s, g) => L.RepeatedSinePullback(p[0], p[1], steps, s, ref g[0], ref g[1]),
        [0.9, 0.3], [-1.4, 1.1]);

    [Theory]
    [InlineData(3, 4)]
    [InlineData(1, 0)]
    [InlineData(5, 2)]
    public void NestedLoops(int n, int m) => GradientCheck.Verify(
        p => L.NestedLoops(p[0], p[1], n, m),
        (p, g) => L.NestedLoopsGradient(p[0], p[1], n, m, out g[0], out g[1]),
        (p, s, g) => L.NestedLoopsPullback(p[0], p[1], n, m, s, ref g[0], ref g[1]),
        [0.4, 0.6], [-0.3, 0.9]);

    [Fact]
    public void Break()
    {
        GradientCheck.Verify(
            p => L.BreakWhenLarge(p[0]),
            (p, g) => L.BreakWhenLargeGradient(p[0], out g[0]),
            (p, s, g) => L.BreakWhenLargePullback(p[0], s, ref g[0]),
            [0.9], [2.3], [-0.1]);

        // x = 0.9 breaks after i = 5: s = 15 x, f = 15 x^2.
        L.BreakWhenLargeGradient(0.9, out var dx);
        Assert.Equal(30 * 0.9, dx, 12);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(9)]
    public void Continue(int n) => GradientCheck.Verify(
        p => L.ContinueOnOdd(p[0], n),
        (p, g) => L.ContinueOnOddGradient(p[0], n, out g[0]),
        (p, s, g) => L.ContinueOnOddPullback(p[0], n, s, ref g[0]),
        [1.3], [-0.6]);

    [Fact]
    public void DoWhileWithFixedCount() => GradientCheck.Verify(
        p => L.DoWhileFixedCount(p[0]),
        (p, g) => L.DoWhileFixedCountGradient(p[0], out g[0]),
        (p, s, g) => L.DoWhileFixedCountPullback(p[0], s, ref g[0]),
        [0.4], [2.7]);

    [Fact]
    public void DoWhileRunsAtLeastOnce()
    {
        GradientCheck.Verify(
            p => L.DoWhileDataDependent(p[0]),
            (p, g) => L.DoWhileDataDependentGradient(p[0], out g[0]),
            (p, s, g) => L.DoWhileDataDependentPullback(p[0], s, ref g[0]),
            [0.05], [0.9], [12.0]);

        // x = 0.05 is already small: the body runs once, y = 0.6 x.
        L.DoWhileDataDependentGradient(0.05, out var dx);
        Assert.Equal(2 * 0.36 * 0.05 + 1, dx, 12);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(2)]
    public void EarlyReturnFromLoop(int n) => GradientCheck.Verify(
        p => L.EarlyReturnFromLoop(p[0], n),
        (p, g) => L.EarlyReturnFromLoopGradient(p[0], n, out g[0]),
        (p, s, g) => L.EarlyReturnFromLoopPullback(p[0], n, s, ref g[0]),
        [0.8], [1.9], [-0.4]);

    [Fact]
    public void WhileWithDecrement()
    {
        GradientCheck.Verify(
            p => L.CountDown(p[0], 4),
            (p, g) => L.CountDownGradient(p[0], 4, out g[0]),
            (p, s, g) => L.CountDownPullback(p[0], 4, s, ref g[0]),
            [0.8], [-1.3]);

        // d/dx sum_k x^k / k = sum_k x^(k-1)
        L.CountDownGradient(0.8, 4, out var dx);
        GradientCheck.AssertClose(1 + 0.8 + 0.64 + 0.512, dx, 1e-12);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void IntegerIndexArithmetic(int n) => GradientCheck.Verify(
        p => L.IndexArithmetic(p[0], n),
        (p, g) => L.IndexArithmeticGradient(p[0], n, out g[0]),
        (p, s, g) => L.IndexArithmeticPullback(p[0], n, s, ref g[0]),
        [0.8], [-1.3]);

    [Fact]
    public void WhileTrueWithBreakAndContinue() => GradientCheck.Verify(
        p => L.WhileTrueWithBreakAndContinue(p[0]),
        (p, g) => L.WhileTrueWithBreakAndContinueGradient(p[0], out g[0]),
        (p, s, g) => L.WhileTrueWithBreakAndContinuePullback(p[0], s, ref g[0]),
        [0.3], [-1.7]);

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public void ReturnFromInnerLoop(int n) => GradientCheck.Verify(
        p => L.ReturnFromInnerLoop(p[0], n),
        (p, g) => L.ReturnFromInnerLoopGradient(p[0], n, out g[0]),
        (p, s, g) => L.ReturnFromInnerLoopPullback(p[0], n, s, ref g[0]),
        [0.7], [1.3], [0.2]);

    [Fact]
    public void InnerBreakOuterContinue() => GradientCheck.Verify(
        p => L.InnerBreakOuterContinue(p[0], 5),
        (p, g) => L.InnerBreakOuterContinueGradient(p[0], 5, out g[0]),
        (p, s, g) => L.InnerBreakOuterContinuePullback(p[0], 5, s, ref g[0]),
        [0.7], [1.3], [0.2]);

    [Fact]
    public void ParameterOverwrittenInLoop() => GradientCheck.Verify(
        p => L.ParameterOverwrittenInLoop(p[0], p[1], 5),
        (p, g) => L.ParameterOverwrittenInLoopGradient(p[0], p[1], 5, out g[0], out g[1]),
        (p, s, g) => L.ParameterOverwrittenInLoopPullback(p[0], p[1], 5, s, ref g[0], ref g[1]),
        [0.7, 0.3], [1.3, -0.8]);

    [Fact]
    public void ShadowedLocals() => GradientCheck.Verify(
        p => L.ShadowedLocals(p[0]),
        (p, g) => L.ShadowedLocalsGradient(p[0], out g[0]),
        (p, s, g) => L.ShadowedLocalsPullback(p[0], s, ref g[0]),
        [0.7], [-1.3]);

    [Fact]
    public void OneSidedOverwriteInLoop() => GradientCheck.Verify(
        p => L.OneSidedOverwriteInLoop(p[0], 7),
        (p, g) => L.OneSidedOverwriteInLoopGradient(p[0], 7, out g[0]),
        (p, s, g) => L.OneSidedOverwriteInLoopPullback(p[0], 7, s, ref g[0]),
        [0.7], [1.3]);

    [Fact]
    public void ActiveConditionInLoop() => GradientCheck.Verify(
        p => L.ActiveConditionInLoop(p[0]),
        (p, g) => L.ActiveConditionInLoopGradient(p[0], out g[0]),
        (p, s, g) => L.ActiveConditionInLoopPullback(p[0], s, ref g[0]),
        [0.7], [1.9]);

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void ZeroTripLoop(int n) => GradientCheck.Verify(
        p => L.ZeroTripLoop(p[0], n),
        (p, g) => L.ZeroTripLoopGradient(p[0], n, out g[0]),
        (p, s, g) => L.ZeroTripLoopPullback(p[0], n, s, ref g[0]),
        [0.7], [1.1]);

    [Fact]
    public void ReturnInsideElse() => GradientCheck.Verify(
        p => L.ReturnInsideElse(p[0]),
        (p, g) => L.ReturnInsideElseGradient(p[0], out g[0]),
        (p, s, g) => L.ReturnInsideElsePullback(p[0], s, ref g[0]),
        [0.3], [0.9], [1.3]);

    [Fact]
    public void DeclaredWithoutInitializerInLoop() => GradientCheck.Verify(
        p => L.DeclaredWithoutInitializerInLoop(p[0]),
        (p, g) => L.DeclaredWithoutInitializerInLoopGradient(p[0], out g[0]),
        (p, s, g) => L.DeclaredWithoutInitializerInLoopPullback(p[0], s, ref g[0]),
        [0.3], [1.3]);

    [Fact]
    public void LongParameter() => GradientCheck.Verify(
        p => L.LongParameter(p[0], 5),
        (p, g) => L.LongParameterGradient(p[0], 5, out g[0]),
        (p, s, g) => L.LongParameterPullback(p[0], 5, s, ref g[0]),
        [0.7], [-1.3]);

    [Fact]
    public void ConstantLocal() => GradientCheck.Verify(
        p => L.ConstantLocal(p[0]),
        (p, g) => L.ConstantLocalGradient(p[0], out g[0]),
        (p, s, g) => L.ConstantLocalPullback(p[0], s, ref g[0]),
        [0.3], [1.3]);

    [Fact]
    public void LoopInBranchInLoop() => GradientCheck.Verify(
        p => L.LoopInBranchInLoop(p[0], 6),
        (p, g) => L.LoopInBranchInLoopGradient(p[0], 6, out g[0]),
        (p, s, g) => L.LoopInBranchInLoopPullback(p[0], 6, s, ref g[0]),
        [0.7], [-1.3]);
}
