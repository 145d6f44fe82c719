namespace AutoGrad.Kernels;

/// <summary>
/// Dense matrix multiplication on row-major spans: <c>C = A·B</c> or <c>C += A·B</c>, with the
/// transposed variants the backward pass of a dense layer needs (<c>A·Bᵀ</c> for the input
/// gradient, <c>Aᵀ·B</c> for the weight gradient).
/// </summary>
/// <remarks>
/// B is packed into cache-sized, zero-padded panels (or, when C has few rows and B is not
/// transposed, read in place) and a register-blocked FMA micro-kernel on
/// <see cref="System.Runtime.Intrinsics.Vector512{T}"/> (or
/// <see cref="System.Runtime.Intrinsics.Vector256{T}"/> where 512-bit vectors are not
/// accelerated) sweeps them down A. Products of about two million multiply-adds or more are cut
/// into blocks that the calling thread and one worker thread per further core share. Calls
/// allocate nothing once the calling thread's packing buffer has grown to the largest B it has
/// seen. Buffers may be longer than the matrices they hold; C must not overlap A or B.
/// </remarks>
public static class MatMul
{
    /// <summary>Computes <c>C = A·B</c>, or <c>C += A·B</c> when <paramref name="accumulate"/> is set.</summary>
    /// <param name="a">A, <paramref name="m"/> × <paramref name="k"/>, row-major.</param>
    /// <param name="b">B, <paramref name="k"/> × <paramref name="n"/>, row-major.</param>
    /// <param name="c">C, <paramref name="m"/> × <paramref name="n"/>, row-major.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<float>.Run(a, transposeA: false, b, transposeB: false, c, m, k, n, accumulate);

    /// <summary>Computes <c>C = A·Bᵀ</c>, or <c>C += A·Bᵀ</c> when <paramref name="accumulate"/> is set.</summary>
    /// <param name="a">A, <paramref name="m"/> × <paramref name="k"/>, row-major.</param>
    /// <param name="b">B, <paramref name="n"/> × <paramref name="k"/>, row-major (so Bᵀ is k × n).</param>
    /// <param name="c">C, <paramref name="m"/> × <paramref name="n"/>, row-major.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Columns of A and of B.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<float>.Run(a, transposeA: false, b, transposeB: true, c, m, k, n, accumulate);

    /// <summary>Computes <c>C = Aᵀ·B</c>, or <c>C += Aᵀ·B</c> when <paramref name="accumulate"/> is set.</summary>
    /// <param name="a">A, <paramref name="k"/> × <paramref name="m"/>, row-major (so Aᵀ is m × k).</param>
    /// <param name="b">B, <paramref name="k"/> × <paramref name="n"/>, row-major.</param>
    /// <param name="c">C, <paramref name="m"/> × <paramref name="n"/>, row-major.</param>
    /// <param name="m">Columns of A, rows of C.</param>
    /// <param name="k">Rows of A and of B.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<float>.Run(a, transposeA: true, b, transposeB: false, c, m, k, n, accumulate);

    /// <inheritdoc cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<double>.Run(a, transposeA: false, b, transposeB: false, c, m, k, n, accumulate);

    /// <inheritdoc cref="MultiplyTransposedB(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
    public static void MultiplyTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<double>.Run(a, transposeA: false, b, transposeB: true, c, m, k, n, accumulate);

    /// <inheritdoc cref="MultiplyTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool)"/>
    public static void MultiplyTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, bool accumulate = false)
        => BlockedGemm<double>.Run(a, transposeA: true, b, transposeB: false, c, m, k, n, accumulate);
}
