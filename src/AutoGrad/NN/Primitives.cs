using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad.NN;

/// <summary>
/// The SIMD building blocks that [Differentiable] layers, activations and losses call. They are
/// the only code with hand-written derivatives: each has a [DerivativeOf] rule beside it, which
/// accumulates into the gradients it is given. Outputs are written whole.
/// </summary>
public static class Primitives
{
    /// <summary><c>c = a · bᵀ</c>: a is m × k, b is n × k (a dense layer's weights, PyTorch's layout), c is m × n.</summary>
    public static void MatMulTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        MatMul.MultiplyTransposedB(a, b, c, m, k, n);

    /// <summary>Pullback of <see cref="MatMulTransposedB"/>: <c>da += dc · b</c>, <c>db += dcᵀ · a</c>.</summary>
    [DerivativeOf(typeof(Primitives), nameof(MatMulTransposedB), ReadsOutputs = false)]
    public static void MatMulTransposedBPullback(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        ReadOnlySpan<float> dc, Span<float> da, Span<float> db)
    {
        if (!da.IsEmpty) MatMul.Multiply(dc, b, da, m, n, k, accumulate: true);
        if (!db.IsEmpty) MatMul.MultiplyTransposedA(dc, a, db, n, m, k, accumulate: true);
    }

    /// <summary><c>y[r, c] = x[r, c] + bias[c]</c> over a rows × columns matrix.</summary>
    public static void AddRowVector(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rows, int columns) =>
        RowKernels.AddRowVector(x, bias, y, rows, columns);

    /// <summary>Pullback of <see cref="AddRowVector"/>: <c>dx += dy</c>, <c>dbias += Σ_rows dy</c>.</summary>
    [DerivativeOf(typeof(Primitives), nameof(AddRowVector), ReadsOutputs = false)]
    public static void AddRowVectorPullback(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int rows, int columns,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dbias)
    {
        if (!dx.IsEmpty) TensorPrimitives.Add(dx, dy, dx);
        if (!dbias.IsEmpty) RowKernels.SumColumns(dy, dbias, rows, columns, accumulate: true);
    }

    /// <summary><c>y = max(x, 0)</c> element-wise.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Relu(x, y);

    /// <summary>Pullback of <see cref="Relu"/>: <c>dx += x &gt; 0 ? dy : 0</c>.</summary>
    [DerivativeOf(typeof(Primitives), nameof(Relu), ReadsOutputs = false)]
    public static void ReluPullback(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (dx.IsEmpty) return;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= dx.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var inputs = new Vector<float>(x[i..]);
                var passed = Vector.ConditionalSelect(Vector.GreaterThan(inputs, Vector<float>.Zero), new Vector<float>(dy[i..]), Vector<float>.Zero);
                (new Vector<float>(dx[i..]) + passed).CopyTo(dx[i..]);
            }
        }
        for (; i < dx.Length; i++)
            if (x[i] > 0) dx[i] += dy[i];
    }

    /// <summary><c>result[r] = log Σ_c exp(x[r, c])</c>, computed stably.</summary>
    public static void LogSumExp(ReadOnlySpan<float> x, Span<float> result, int rows, int columns) =>
        RowKernels.LogSumExp(x, result, rows, columns);

    /// <summary>Pullback of <see cref="LogSumExp"/>: <c>dx[r, c] += dresult[r] · softmax(x)[r, c]</c>, with softmax = exp(x - result).</summary>
    [DerivativeOf(typeof(Primitives), nameof(LogSumExp))]
    public static void LogSumExpPullback(ReadOnlySpan<float> x, Span<float> result, int rows, int columns,
        ReadOnlySpan<float> dresult, Span<float> dx)
    {
        if (!dx.IsEmpty) RowKernels.LogSumExpPullback<float>(x, result, dresult, dx, rows, columns);
    }

    /// <summary>Row-wise softmax of a rows × columns matrix.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rows, int columns) =>
        RowKernels.Softmax(x, y, rows, columns);

    /// <summary>Pullback of <see cref="Softmax"/>: <c>dx += y ⊙ (dy − Σ_c dy ⊙ y)</c> per row.</summary>
    [DerivativeOf(typeof(Primitives), nameof(Softmax))]
    public static void SoftmaxPullback(ReadOnlySpan<float> x, Span<float> y, int rows, int columns,
        ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (dx.IsEmpty) return;
        for (int r = 0; r < rows; r++)
        {
            var yRow = y.Slice(r * columns, columns);
            var dyRow = dy.Slice(r * columns, columns);
            float dot = TensorPrimitives.Dot<float>(yRow, dyRow);
            var dxRow = dx.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++) dxRow[c] += yRow[c] * (dyRow[c] - dot);
        }
    }
}
