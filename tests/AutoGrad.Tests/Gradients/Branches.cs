using B = AutoGrad.Tests.Gradients.BranchFunctions;

namespace AutoGrad.Tests.Gradients;

public class Branches
{
    [Fact]
    public void IfElse()
    {
        GradientCheck.Verify(
            p => B.IfElse(p[0], p[1]),
            (p, g) => B.IfElseGradient(p[0], p[1], out g[0], out g[1]),
            (p, s, g) => B.IfElsePullback(p[0], p[1], s, ref g[0], ref g[1]),
            [1.5, 0.5], [-0.5, 0.8]);

        B.IfElseGradient(1.5, 0.5, out var dxThen, out var dyThen);
        Assert.Equal(2 * 2 * 1.5, dxThen, 12);
        Assert.Equal(2, dyThen, 12);
        B.IfElseGradient(-0.5, 0.8, out var dxElse, out var dyElse);
        Assert.Equal(2 * Math.Sin(0.8), dxElse, 12);
        Assert.Equal(2 * Math.Cos(0.8) * -0.5, dyElse, 12);
    }

    [Fact]
    public void ElseIfChainTakesEachBranch()
    {
        GradientCheck.Verify(
            p => B.ElseIfChain(p[0]),
            (p, g) => B.ElseIfChainGradient(p[0], out g[0]),
            (p, s, g) => B.ElseIfChainPullback(p[0], s, ref g[0]),
            [-1.5], [-0.5], [0.5], [2.5]);

        double[] expected = [2 * 1.5 + 1, 3 + 1, Math.Exp(0.5) + 1, 1 / 2.5 + 1];
        double[] points = [-1.5, -0.5, 0.5, 2.5];
        for (var i = 0; i < points.Length; i++)
        {
            B.ElseIfChainGradient(points[i], out var dx);
            GradientCheck.AssertClose(expected[i], dx, 1e-12);
        }
    }

    [Fact]
    public void Conditional() => GradientCheck.Verify(
        p => B.Conditional(p[0], p[1]),
        (p, g) => B.ConditionalGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => B.ConditionalPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.2], [-0.9, 2.1]);

    [Fact]
    public void NestedConditional() => GradientCheck.Verify(
        p => B.NestedConditional(p[0], p[1]),
        (p, g) => B.NestedConditionalGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => B.NestedConditionalPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [1.5, 0.5], [-0.5, -1.5], [0.5, 2.5], [-0.5, 0.5]);

    [Fact]
    public void EarlyReturnsFromBranches() => GradientCheck.Verify(
        p => B.EarlyReturns(p[0], p[1]),
        (p, g) => B.EarlyReturnsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => B.EarlyReturnsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [-0.5, 1.5], [2.5, 1.5], [0.5, 1.1]);

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    public void BoolAndIntParametersSelectPaths(bool useProduct, int mode) => GradientCheck.Verify(
        p => B.ConstantSwitches(p[0], p[1], useProduct, mode),
        (p, g) => B.ConstantSwitchesGradient(p[0], p[1], useProduct, mode, out g[0], out g[1]),
        (p, s, g) => B.ConstantSwitchesPullback(p[0], p[1], useProduct, mode, s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void CompoundConditions() => GradientCheck.Verify(
        p => B.CompoundConditions(p[0], p[1]),
        (p, g) => B.CompoundConditionsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => B.CompoundConditionsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.5, 0.5], [-2.5, 1.5], [0.5, -1.5], [1.5, -0.5], [1.5, -3.5]);

    [Fact]
    public void BranchOnLocal() => GradientCheck.Verify(
        p => B.BranchOnLocal(p[0]),
        (p, g) => B.BranchOnLocalGradient(p[0], out g[0]),
        (p, s, g) => B.BranchOnLocalPullback(p[0], s, ref g[0]),
        [1.2], [-0.8], [4.0]);
}
