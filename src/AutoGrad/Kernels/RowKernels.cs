using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad.Kernels;

/// <summary>
/// Row-wise operations on a row-major <c>rows × columns</c> matrix, as a batch of samples
/// (one per row) passes through a dense layer: bias add, bias gradient, softmax and
/// log-sum-exp. Each row is handed to <see cref="TensorPrimitives"/>, which vectorises it.
/// Outputs may be the inputs themselves (in place), but may not partially overlap them.
/// </summary>
public static class RowKernels
{
    /// <summary>Adds a row vector to every row: <c>y[i, j] = x[i, j] + bias[j]</c>.</summary>
    /// <param name="x">The matrix, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="bias">The row vector, <paramref name="columns"/> long.</param>
    /// <param name="y">The result, same shape as <paramref name="x"/>; may be <paramref name="x"/>.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    public static void AddRowVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> bias, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckMatrix(y.Length, rows, columns, nameof(y));
        Shape.CheckVector(bias.Length, columns, nameof(bias));
        bias = bias[..columns];
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Add(x.Slice(i * columns, columns), bias, y.Slice(i * columns, columns));
    }

    /// <summary>
    /// Sums each column: <c>sums[j] = Σᵢ x[i, j]</c>, or adds that to <paramref name="sums"/>
    /// when <paramref name="accumulate"/> is set. This is the gradient of a bias over a batch.
    /// </summary>
    /// <param name="x">The matrix, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="sums">The column sums, <paramref name="columns"/> long.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="accumulate">Add to <paramref name="sums"/> instead of overwriting it.</param>
    public static void SumColumns<T>(ReadOnlySpan<T> x, Span<T> sums, int rows, int columns, bool accumulate = false)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckVector(sums.Length, columns, nameof(sums));
        sums = sums[..columns];
        if (!accumulate) sums.Clear();
        for (int i = 0; i < rows; i++)
            TensorPrimitives.Add(sums, x.Slice(i * columns, columns), sums);
    }

    /// <summary>
    /// Softmax of each row, <c>y[i, j] = exp(x[i, j] - maxᵢ) / Σₖ exp(x[i, k] - maxᵢ)</c>:
    /// shifting by the row maximum keeps every exponent at or below zero, so large logits
    /// cannot overflow.
    /// </summary>
    /// <param name="x">The logits, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="y">The probabilities, same shape; may be <paramref name="x"/>.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckMatrix(y.Length, rows, columns, nameof(y));
        if (columns == 0) return;
        for (int i = 0; i < rows; i++)
        {
            var row = y.Slice(i * columns, columns);
            TensorPrimitives.Subtract(x.Slice(i * columns, columns), TensorPrimitives.Max(x.Slice(i * columns, columns)), row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum<T>(row), row);
        }
    }

    /// <summary>
    /// Log-sum-exp of each row, <c>result[i] = log Σⱼ exp(x[i, j])</c>, computed as
    /// <c>maxᵢ + log Σⱼ exp(x[i, j] - maxᵢ)</c> so it neither overflows nor underflows.
    /// </summary>
    /// <param name="x">The matrix, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="result">One value per row, <paramref name="rows"/> long.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    public static void LogSumExp<T>(ReadOnlySpan<T> x, Span<T> result, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckVector(result.Length, rows, nameof(result));
        if (columns == 0)
        {
            // The log of an empty sum.
            result[..rows].Fill(T.NegativeInfinity);
            return;
        }
        var scratch = ArrayPool<T>.Shared.Rent(columns);
        try
        {
            for (int i = 0; i < rows; i++)
                result[i] = RowLogSumExp(x.Slice(i * columns, columns), scratch.AsSpan(0, columns));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Log-softmax of each row, <c>y[i, j] = x[i, j] - log Σₖ exp(x[i, k])</c>: the
    /// log-probabilities a cross-entropy loss needs, without the round trip through exp and
    /// log that loses tiny probabilities.
    /// </summary>
    /// <param name="x">The logits, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="y">The log-probabilities, same shape; may be <paramref name="x"/>.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckMatrix(y.Length, rows, columns, nameof(y));
        if (columns == 0) return;
        var scratch = ArrayPool<T>.Shared.Rent(columns);
        try
        {
            for (int i = 0; i < rows; i++)
            {
                var row = x.Slice(i * columns, columns);
                T logSumExp = RowLogSumExp(row, scratch.AsSpan(0, columns));
                TensorPrimitives.Subtract(row, logSumExp, y.Slice(i * columns, columns));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static T RowLogSumExp<T>(ReadOnlySpan<T> row, Span<T> scratch)
        where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row);
        // An infinite or NaN maximum is the answer itself; shifting by it would make NaN.
        if (!T.IsFinite(max)) return max;
        TensorPrimitives.Subtract(row, max, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        return max + T.Log(TensorPrimitives.Sum<T>(scratch));
    }
}
