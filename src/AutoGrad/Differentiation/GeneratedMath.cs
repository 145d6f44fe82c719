using System.ComponentModel;
using System.Numerics.Tensors;
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

    /// <summary>
    /// The dot product of a gradient with a tangent: forward mode through a callee without a tangent
    /// of its own takes the callee's gradient (one pullback at seed 1) along the arguments' tangents.
    /// </summary>
    public static double Dot(ReadOnlySpan<double> gradient, ReadOnlySpan<double> tangent) => TensorPrimitives.Dot(gradient, tangent);

    /// <inheritdoc cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Dot(ReadOnlySpan<float> gradient, ReadOnlySpan<float> tangent) => TensorPrimitives.Dot(gradient, tangent);

    /// <summary>
    /// <c>span.Clear()</c> one element at a time, for a short span whose elements are read back right
    /// away (a Jacobian row's window, then accumulated into entry by entry): a vectorised clear is a
    /// call, and its wide stores cannot forward to the narrow loads that follow, which stall.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearEach<T>(Span<T> span) where T : unmanaged
    {
        for (int i = 0; i < span.Length; i++) span[i] = default;
    }
}
