using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> bias, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckMatrix(y.Length, rows, columns, nameof(y));
        Shape.CheckVector(bias.Length, columns, nameof(bias));
        bias = bias[..columns];
        // A TensorPrimitives call per row costs more than a 64-wide row itself, so this loops directly.
        int vectorEnd = columns - columns % Vector<T>.Count;
        for (int i = 0; i < rows; i++)
        {
            var row = x.Slice(i * columns, columns);
            var result = y.Slice(i * columns, columns);
            int j = 0;
            for (; j < vectorEnd; j += Vector<T>.Count)
                (new Vector<T>(row[j..]) + new Vector<T>(bias[j..])).CopyTo(result[j..]);
            for (; j < columns; j++) result[j] = row[j] + bias[j];
        }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumColumns<T>(ReadOnlySpan<T> x, Span<T> sums, int rows, int columns, bool accumulate = false)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckVector(sums.Length, columns, nameof(sums));
        sums = sums[..columns];
        if (!accumulate) sums.Clear();
        // Down each strip of columns with the running sums in a register, not a call per row.
        int j = 0;
        for (; j + Vector<T>.Count <= columns; j += Vector<T>.Count)
        {
            var sum = Vector<T>.Zero;
            for (int i = 0; i < rows; i++) sum += new Vector<T>(x.Slice(i * columns + j, Vector<T>.Count));
            (new Vector<T>(sums[j..]) + sum).CopyTo(sums[j..]);
        }
        for (; j < columns; j++)
        {
            T sum = T.Zero;
            for (int i = 0; i < rows; i++) sum += x[i * columns + j];
            sums[j] += sum;
        }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        if (columns < ShortRow)
        {
            LogSumExpOfShortRows(x, result, rows, columns);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// The pullback of <see cref="LogSumExp{T}"/>: <c>dx[i, j] += dresult[i] · exp(x[i, j] - logSumExp[i])</c>,
    /// the softmax of each row scaled by its adjoint.
    /// </summary>
    /// <param name="x">The matrix, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="logSumExp">What <see cref="LogSumExp{T}"/> returned for <paramref name="x"/>.</param>
    /// <param name="dresult">The adjoint of each row's log-sum-exp.</param>
    /// <param name="dx">The adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSumExpPullback<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> dresult, Span<T> dx, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        Shape.CheckMatrix(x.Length, rows, columns, nameof(x));
        Shape.CheckMatrix(dx.Length, rows, columns, nameof(dx));
        Shape.CheckVector(logSumExp.Length, rows, nameof(logSumExp));
        Shape.CheckVector(dresult.Length, rows, nameof(dresult));
        // Several short rows: the exponentials of the whole matrix in one call, the shifts and the
        // scaled additions as plain loops. Otherwise TensorPrimitives row by row.
        bool wholeMatrix = columns < ShortRow && rows > 1;
        var scratch = ArrayPool<T>.Shared.Rent(Math.Max(1, wholeMatrix ? rows * columns : columns));
        try
        {
            if (wholeMatrix)
            {
                var probabilities = scratch.AsSpan(0, rows * columns);
                for (int i = 0; i < rows; i++)
                {
                    T shift = logSumExp[i];
                    for (int j = i * columns; j < (i + 1) * columns; j++) probabilities[j] = x[j] - shift;
                }
                TensorPrimitives.Exp(probabilities, probabilities);
                for (int i = 0; i < rows; i++)
                {
                    T scale = dresult[i];
                    for (int j = i * columns; j < (i + 1) * columns; j++) dx[j] += scale * probabilities[j];
                }
                return;
            }
            var row = scratch.AsSpan(0, columns);
            for (int i = 0; i < rows; i++)
            {
                var dxRow = dx.Slice(i * columns, columns);
                TensorPrimitives.Subtract(x.Slice(i * columns, columns), logSumExp[i], row);
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.MultiplyAdd(row, dresult[i], dxRow, dxRow);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>Rows up to this long are too short for a <see cref="TensorPrimitives"/> call per row to pay.</summary>
    private const int ShortRow = 32;

    /// <summary>
    /// <see cref="LogSumExp{T}"/> for short rows (10 classes, say): the per-row maximum and sum are plain
    /// loops and the exponentials of the whole matrix one vectorised call, instead of four calls per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LogSumExpOfShortRows<T>(ReadOnlySpan<T> x, Span<T> result, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        var scratch = ArrayPool<T>.Shared.Rent(rows * columns);
        try
        {
            var shifted = scratch.AsSpan(0, rows * columns);
            for (int i = 0; i < rows; i++)
            {
                var row = x.Slice(i * columns, columns);
                var shiftedRow = shifted.Slice(i * columns, columns);
                T max = row[0];
                bool hasNaN = T.IsNaN(max);
                for (int j = 1; j < row.Length; j++)
                {
                    T value = row[j];
                    if (value > max) max = value;
                    hasNaN |= T.IsNaN(value);
                }
                if (hasNaN) max = T.NaN; // as TensorPrimitives.Max
                result[i] = max;
                // An infinite or NaN maximum is the answer itself; its row's exponentials are unused.
                if (!T.IsFinite(max)) max = T.Zero;
                for (int j = 0; j < row.Length; j++) shiftedRow[j] = row[j] - max;
            }
            TensorPrimitives.Exp(shifted, shifted);
            for (int i = 0; i < rows; i++)
            {
                if (!T.IsFinite(result[i])) continue;
                var shiftedRow = shifted.Slice(i * columns, columns);
                T sum = T.Zero;
                for (int j = 0; j < shiftedRow.Length; j++) sum += shiftedRow[j];
                result[i] += T.Log(sum);
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
