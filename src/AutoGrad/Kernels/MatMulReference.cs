using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// Plain triple-loop matrix products with the same contract as <see cref="MatMul"/>: the
/// definition the optimised kernels are tested against. Sums run in double precision, so
/// they are at least as accurate as the kernels they check.
/// </summary>
public static class MatMulReference
{
    /// <summary>Computes <c>C = op(A)·op(B)</c>, or adds it to C when <paramref name="accumulate"/> is set.</summary>
    /// <param name="a">A: m × k row-major, or k × m when <paramref name="transposeA"/> is set.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="b">B: k × n row-major, or n × k when <paramref name="transposeB"/> is set.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="c">C, m × n, row-major.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int k, int n, bool accumulate = false)
        where T : IFloatingPointIeee754<T>
    {
        var left = ToDouble(a[..(m * k)]);
        var right = ToDouble(b[..(k * n)]);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? double.CreateChecked(c[i * n + j]) : 0;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? left[p * m + i] : left[i * k + p]) * (transposeB ? right[j * k + p] : right[p * n + j]);
                c[i * n + j] = T.CreateChecked(sum);
            }
        }
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = double.CreateChecked(values[i]);
        return result;
    }
}
