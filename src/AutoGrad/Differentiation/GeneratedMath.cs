using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Differentiation;

/// <summary>Scalar helpers that generated gradient code calls in place of slower library calls with the same result.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedMath
{
    /// <summary>
    /// <c>Math.Pow(x, 2)</c> as one multiplication: the correctly rounded square (the fold LLVM applies
    /// to <c>pow(x, 2.0)</c> without fast-math), where the JIT would call libm's pow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Square(double x) => x * x;

    /// <inheritdoc cref="Square(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Square(float x) => x * x;
}
