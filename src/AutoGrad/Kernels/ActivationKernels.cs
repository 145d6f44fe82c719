using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// Element-wise activations that <see cref="TensorPrimitives"/> does not provide as one call
/// (it does provide <c>Sigmoid</c>, <c>Tanh</c>, <c>Exp</c> and friends; use those directly),
/// and the ReLU, which a training step runs on every hidden layer: its methods are compiled fully
/// optimised on first call, where TensorPrimitives (not precompiled) ran unoptimised tier-0 code for
/// the first seconds of a run on one core (the seed MLP's ReLU took 14 us instead of 3).
/// An output may be the very span of an input where its parameter says so, and must not
/// otherwise overlap one.
/// </summary>
public static class ActivationKernels
{
    /// <summary>ReLU: <c>y = max(x, 0)</c>; a NaN input stays NaN.</summary>
    /// <param name="x">The input.</param>
    /// <param name="y">The output, as long as <paramref name="x"/>; may be <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) ThrowHelper.ThrowLengthMismatch(nameof(y));
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        nuint length = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= (nuint)Vector512<T>.Count)
        {
            nuint width = (nuint)Vector512<T>.Count;
            for (; i + width <= length; i += width) Relu512(ref xs, ref ys, i);
            if (i < length) Relu512(ref xs, ref ys, length - width);
            return;
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= (nuint)Vector256<T>.Count)
        {
            nuint width = (nuint)Vector256<T>.Count;
            for (; i + width <= length; i += width) Relu256(ref xs, ref ys, i);
            if (i < length) Relu256(ref xs, ref ys, length - width);
            return;
        }
        for (; i < length; i++)
        {
            T value = Unsafe.Add(ref xs, i);
            Unsafe.Add(ref ys, i) = value <= T.Zero ? T.Zero : value;
        }
    }

    // Zero where x ≤ 0 (−0 included), x elsewhere: a NaN, compared false, passes through. Reads the
    // whole vector before writing it, so an overlapping last vector and y == x stay correct.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Relu512<T>(ref T x, ref T y, nuint offset)
    {
        var value = Vector512.LoadUnsafe(ref x, offset);
        Vector512.AndNot(value, Vector512.LessThanOrEqual(value, Vector512<T>.Zero)).StoreUnsafe(ref y, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Relu256<T>(ref T x, ref T y, nuint offset)
    {
        var value = Vector256.LoadUnsafe(ref x, offset);
        Vector256.AndNot(value, Vector256.LessThanOrEqual(value, Vector256<T>.Zero)).StoreUnsafe(ref y, offset);
    }

    /// <summary>
    /// The ReLU backward mask: <c>dx = x &gt; 0 ? dy : 0</c>, the gradient with respect to the
    /// input <paramref name="x"/> given the gradient <paramref name="dy"/> with respect to the output.
    /// </summary>
    /// <param name="x">The input the forward pass saw (its output works as well).</param>
    /// <param name="dy">The gradient with respect to the output.</param>
    /// <param name="dx">The gradient with respect to the input; may be <paramref name="dy"/>, not <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        if (x.Length != dy.Length) ThrowHelper.ThrowLengthMismatch(nameof(dy));
        if (x.Length != dx.Length) ThrowHelper.ThrowLengthMismatch(nameof(dx));

        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T gs = ref MemoryMarshal.GetReference(dy);
        ref T ds = ref MemoryMarshal.GetReference(dx);
        nuint length = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && length >= (nuint)Vector512<T>.Count)
        {
            nuint width = (nuint)Vector512<T>.Count;
            for (; i + width <= length; i += width) ReluMask512(ref xs, ref gs, ref ds, i);
            // The remainder as one last vector that overlaps the previous one: recomputing a
            // few elements is cheaper than a scalar tail, and the result is the same.
            if (i < length) ReluMask512(ref xs, ref gs, ref ds, length - width);
            return;
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && length >= (nuint)Vector256<T>.Count)
        {
            nuint width = (nuint)Vector256<T>.Count;
            for (; i + width <= length; i += width) ReluMask256(ref xs, ref gs, ref ds, i);
            if (i < length) ReluMask256(ref xs, ref gs, ref ds, length - width);
            return;
        }
        for (; i < length; i++)
            Unsafe.Add(ref ds, i) = Unsafe.Add(ref xs, i) > T.Zero ? Unsafe.Add(ref gs, i) : T.Zero;
    }

    // Reads all of a vector before writing it, so an overlapping last vector and dx == dy stay correct.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluMask512<T>(ref T x, ref T dy, ref T dx, nuint offset)
    {
        var mask = Vector512.GreaterThan(Vector512.LoadUnsafe(ref x, offset), Vector512<T>.Zero);
        (Vector512.LoadUnsafe(ref dy, offset) & mask).StoreUnsafe(ref dx, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluMask256<T>(ref T x, ref T dy, ref T dx, nuint offset)
    {
        var mask = Vector256.GreaterThan(Vector256.LoadUnsafe(ref x, offset), Vector256<T>.Zero);
        (Vector256.LoadUnsafe(ref dy, offset) & mask).StoreUnsafe(ref dx, offset);
    }
}
