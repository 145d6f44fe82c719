using S = AutoGrad.Tests.Gradients.SyntaxShapeFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 2: argument and call shapes that once crashed the generator, checked against finite differences.</summary>
public class SyntaxShapes
{
    [Fact]
    public void ParenthesizedArguments() => GradientCheck.Verify(
        p => S.ParenthesizedArguments(p[0], p[1]),
        (p, g) => S.ParenthesizedArgumentsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.ParenthesizedArgumentsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void NamedArguments() => GradientCheck.Verify(
        p => S.NamedArguments(p[0], p[1]),
        (p, g) => S.NamedArgumentsGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.NamedArgumentsPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);

    [Fact]
    public void CastArguments() => GradientCheck.Verify(
        p => S.CastArguments(p[0], 1.25f),
        (p, g) => S.CastArgumentsGradient(p[0], 1.25f, out g[0]),
        (p, s, g) => S.CastArgumentsPullback(p[0], 1.25f, s, ref g[0]),
        [0.7], [-1.1]);

    [Fact]
    public void ExtensionCalls()
    {
        GradientCheck.Verify(
            p => S.ExtensionCalls(p[0], p[1..]),
            (p, g) => S.ExtensionCallsGradient(p[0], p[1..], out g[0], g.AsSpan(1)),
            (p, s, g) => S.ExtensionCallsPullback(p[0], p[1..], s, ref g[0], g.AsSpan(1)),
            [0.7, 1.3, -0.2], [-1.1, 0.4, 0.9]);
        // d/dx (x² + 4x² + x Σv² + Σv²) = 10x + Σv²
        S.ExtensionCallsGradient(0.5, [1.0, 2.0], out var dx, new double[2]);
        GradientCheck.AssertClose(10 * 0.5 + 5, dx, 1e-12);
    }

    [Fact]
    public void GenericMathIsMath() => GradientCheck.Verify(
        p => S.GenericMath(p[0], 0.5f),
        (p, g) => S.GenericMathGradient(p[0], 0.5f, out g[0]),
        (p, s, g) => S.GenericMathPullback(p[0], 0.5f, s, ref g[0]),
        [0.7], [-1.1]);

    [Fact]
    public void TupleDeconstructionAndSwap() => GradientCheck.Verify(
        p => S.Deconstruction(p[0], p[1]),
        (p, g) => S.DeconstructionGradient(p[0], p[1], out g[0], out g[1]),
        (p, s, g) => S.DeconstructionPullback(p[0], p[1], s, ref g[0], ref g[1]),
        [0.7, 1.3], [-1.1, 0.4]);
}
