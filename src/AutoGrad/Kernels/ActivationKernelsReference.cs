using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>Scalar definitions of <see cref="ActivationKernels"/>, which tests compare it against.</summary>
public static class ActivationKernelsReference
{
    /// <inheritdoc cref="ActivationKernels.Relu{T}(ReadOnlySpan{T}, Span{T})"/>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : T.Max(x[i], T.Zero);
    }

    /// <inheritdoc cref="ActivationKernels.ReluBackward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > T.Zero ? dy[i] : T.Zero;
    }
}
