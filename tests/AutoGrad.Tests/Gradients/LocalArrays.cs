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

/// <summary>Issue 8, point 2: a new array in every iteration of a loop, against finite differences.</summary>
public class LoopArrays
{
    [Fact]
    public void ScratchPerRow() => GradientCheck.Verify(
        p => LoopArrayFunctions.PerRow(p, 3, 3),
        (p, g) => LoopArrayFunctions.PerRowGradient(p, 3, 3, g),
        (p, s, g) => LoopArrayFunctions.PerRowPullback(p, 3, 3, s, g),
        [0.7, 1.3, -0.2, 0.4, -0.9, 0.1, 0.3, 0.8, -0.5], [-1.1, 0.4, 0.9, 0.2, 0.6, -0.3, -0.7, 0.5, 1.2]);

    [Fact]
    public void NestedLoopsWithInitialisers() => GradientCheck.Verify(
        p => LoopArrayFunctions.Nested(p, 2),
        (p, g) => LoopArrayFunctions.NestedGradient(p, 2, g),
        (p, s, g) => LoopArrayFunctions.NestedPullback(p, 2, s, g),
        [0.7, 1.3, -0.2, 0.4], [-1.1, 0.4, 0.9, 0.2]);
}
