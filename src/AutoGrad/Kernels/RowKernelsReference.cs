using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// Scalar definitions of <see cref="RowKernels"/>, which tests compare it against. Sums run
/// in double precision.
/// </summary>
public static class RowKernelsReference
{
    /// <inheritdoc cref="RowKernels.AddRowVector{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/>
    public static void AddRowVector<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> bias, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                y[i * columns + j] = x[i * columns + j] + bias[j];
    }

    /// <inheritdoc cref="RowKernels.SumColumns{T}(ReadOnlySpan{T}, Span{T}, int, int, bool)"/>
    public static void SumColumns<T>(ReadOnlySpan<T> x, Span<T> sums, int rows, int columns, bool accumulate = false)
        where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < columns; j++)
        {
            double sum = accumulate ? double.CreateChecked(sums[j]) : 0;
            for (int i = 0; i < rows; i++) sum += double.CreateChecked(x[i * columns + j]);
            sums[j] = T.CreateChecked(sum);
        }
    }

    /// <inheritdoc cref="RowKernels.Softmax{T}(ReadOnlySpan{T}, Span{T}, int, int)"/>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            double max = RowMax(x.Slice(i * columns, columns));
            double sum = 0;
            for (int j = 0; j < columns; j++) sum += Math.Exp(double.CreateChecked(x[i * columns + j]) - max);
            for (int j = 0; j < columns; j++)
                y[i * columns + j] = T.CreateChecked(Math.Exp(double.CreateChecked(x[i * columns + j]) - max) / sum);
        }
    }

    /// <inheritdoc cref="RowKernels.LogSumExp{T}(ReadOnlySpan{T}, Span{T}, int, int)"/>
    public static void LogSumExp<T>(ReadOnlySpan<T> x, Span<T> result, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++) result[i] = T.CreateChecked(RowLogSumExp(x.Slice(i * columns, columns)));
    }

    /// <inheritdoc cref="RowKernels.LogSumExpPullback{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/>
    public static void LogSumExpPullback<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> dresult, Span<T> dx, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                dx[i * columns + j] += T.CreateChecked(double.CreateChecked(dresult[i]) * Math.Exp(double.CreateChecked(x[i * columns + j]) - double.CreateChecked(logSumExp[i])));
    }

    /// <inheritdoc cref="RowKernels.LogSoftmax{T}(ReadOnlySpan{T}, Span{T}, int, int)"/>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            double logSumExp = RowLogSumExp(x.Slice(i * columns, columns));
            for (int j = 0; j < columns; j++)
                y[i * columns + j] = T.CreateChecked(double.CreateChecked(x[i * columns + j]) - logSumExp);
        }
    }

    private static double RowMax<T>(ReadOnlySpan<T> row)
        where T : IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (var value in row) max = Math.Max(max, double.CreateChecked(value));
        return max;
    }

    private static double RowLogSumExp<T>(ReadOnlySpan<T> row)
        where T : IFloatingPointIeee754<T>
    {
        double max = RowMax(row);
        if (!double.IsFinite(max)) return max;
        double sum = 0;
        foreach (var value in row) sum += Math.Exp(double.CreateChecked(value) - max);
        return max + Math.Log(sum);
    }
}
