using L = AutoGrad.Tests.Gradients.LocalArrayFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 4: local array initialisers and stackalloc scratch, against finite differences.</summary>
public class LocalArrays
{
    [Fact]
    public void ConstantCollectionExpression()
    {
        GradientCheck.Verify(
            L.Weighted,
            (p, g) => L.WeightedGradient(p, g),
            (p, s, g) => L.WeightedPullback(p, s, g),
            [0.7, 1.3, -0.2], [-1.1, 0.4, 0.9]);
        var dx = new double[3];
        L.WeightedGradient([1.0, 2.0, 3.0], dx);
        Assert.Equal([0.5, 3.0, -9.0], dx);
    }

    [Fact]
    public void InitialisersOfActiveValues() => GradientCheck.Verify(
        p => L.ActiveInitializers(p[0], p[1]),
        (p, g) => L.ActiveInitializersGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => L.ActiveInitializersPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void StackallocScratch() => GradientCheck.Verify(
        L.StackScratch,
        (p, g) => L.StackScratchGradient(p, g),
        (p, s, g) => L.StackScratchPullback(p, s, g),
        [0.7, 1.3, -0.2], [-1.1, 0.4, 0.9]);
}
