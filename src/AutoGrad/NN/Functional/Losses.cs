using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.NN.Functional;

/// <summary>Losses as [Differentiable] functions returning the mean over the batch; their gradients are generated.</summary>
public static partial class Losses
{
    private const float ProbabilityFloor = 1e-7f;

    /// <summary>Mean squared error over all elements.</summary>
    [Differentiable]
    public static float MeanSquaredError(ReadOnlySpan<float> predictions, [NoGradient] ReadOnlySpan<float> targets)
    {
        float sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            float error = predictions[i] - targets[i];
            sum += error * error;
        }
        return sum / predictions.Length;
    }

    /// <summary>Mean binary cross-entropy of probabilities in (0, 1) against targets in [0, 1]; probabilities are clamped away from 0 and 1.</summary>
    [Differentiable]
    public static float BinaryCrossEntropy(ReadOnlySpan<float> probabilities, [NoGradient] ReadOnlySpan<float> targets)
    {
        float sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = Math.Clamp(probabilities[i], ProbabilityFloor, 1 - ProbabilityFloor);
            sum -= targets[i] * MathF.Log(p) + (1 - targets[i]) * MathF.Log(1 - p);
        }
        return sum / probabilities.Length;
    }

    /// <summary>
    /// Mean categorical cross-entropy of a batch of logits against target distributions (one-hot
    /// rows for class labels): log Σ exp(z) - Σ t z per row, stable for any logits.
    /// </summary>
    [Differentiable]
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, [NoGradient] ReadOnlySpan<float> targets, int rows, int columns)
    {
        float[] logSumExp = new float[rows];
        Primitives.LogSumExp(logits, logSumExp, rows, columns);
        float total = 0;
        for (int r = 0; r < rows; r++)
        {
            total += logSumExp[r];
            for (int c = 0; c < columns; c++) total -= targets[r * columns + c] * logits[r * columns + c];
        }
        return total / rows;
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy"/> of one-hot targets given as class labels, and its gradient
    /// with respect to the logits: returns the mean loss and writes
    /// <c>dlogits[r, c] = (softmax(logits)[r, c] - (c == labels[r] ? 1 : 0)) / rows</c>. The same values
    /// as the generated <see cref="SoftmaxCrossEntropyGradient"/> on one-hot rows (the tests hold them
    /// to it and to finite differences), in one exponential per logit and one logarithm per row:
    /// the generated gradient of the seed MLP's batch of 256 took about 20 us, the loss's share
    /// of a training step's non-matrix work.
    /// </summary>
    /// <param name="logits">The logits, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="labels">The class of each row, below <paramref name="columns"/>.</param>
    /// <param name="rows">Rows (samples) of the batch.</param>
    /// <param name="columns">Classes.</param>
    /// <param name="dlogits">The gradient, same shape as <paramref name="logits"/>; overwritten.</param>
    public static float SparseSoftmaxCrossEntropyGradient(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int rows, int columns, Span<float> dlogits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return SparseSoftmaxCrossEntropyGradientSum(logits, labels, rows, columns, dlogits, 1f / rows) / rows;
    }

    /// <summary>
    /// <see cref="SparseSoftmaxCrossEntropyGradient"/> for some rows of a larger batch: returns the
    /// rows' summed (not mean) loss and writes the gradient of the batch's mean, <paramref name="inverseBatch"/>
    /// being 1 / the batch's rows (<paramref name="firstRow"/>, where the rows start in it, names a bad label's row).
    /// On all rows of the batch, the same values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float SparseSoftmaxCrossEntropyGradientSum(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, int rows, int columns, Span<float> dlogits,
        float inverseBatch, int firstRow = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int length = rows * columns;
        if (logits.Length < length) throw new ArgumentException($"{rows} rows of {columns} logits need {length} values but {logits.Length} were given.", nameof(logits));
        if (dlogits.Length < length) throw new ArgumentException($"{rows} rows of {columns} logits need a gradient of {length} values but it has {dlogits.Length}.", nameof(dlogits));
        if (labels.Length < rows) throw new ArgumentException($"{rows} rows need {rows} labels but {labels.Length} were given.", nameof(labels));
        for (int r = 0; r < rows; r++)
        {
            if (labels[r] >= columns)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"Label {firstRow + r} is {labels[r]}, but there are {columns} classes.");
        }

        // The logits shifted by their row's maximum, then their exponentials, in dlogits; then each
        // row scaled by 1 / (its sum · rows), less 1 / rows at its label. Short rows (a few classes)
        // are plain loops: a vectorised call per row costs more than the row.
        var probabilities = dlogits[..length];
        bool shortRows = columns < 32;
        float total = 0, inverseRows = inverseBatch;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * columns, columns);
            var shifted = probabilities.Slice(r * columns, columns);
            float max = row[0];
            if (shortRows)
            {
                for (int c = 1; c < columns; c++) max = MathF.Max(max, row[c]);
                for (int c = 0; c < columns; c++) shifted[c] = row[c] - max;
            }
            else
            {
                max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, shifted);
            }
            total -= shifted[labels[r]];
        }
        ExpInPlace(probabilities);
        for (int r = 0; r < rows; r++)
        {
            var row = probabilities.Slice(r * columns, columns);
            float sum = 0;
            if (shortRows)
            {
                for (int c = 0; c < columns; c++) sum += row[c];
            }
            else
            {
                sum = TensorPrimitives.Sum(row);
            }
            total += MathF.Log(sum);
            float scale = inverseRows / sum;
            if (shortRows)
            {
                for (int c = 0; c < columns; c++) row[c] *= scale;
            }
            else
            {
                TensorPrimitives.Multiply(row, scale, row);
            }
            row[labels[r]] -= inverseRows;
        }
        return total;
    }

    /// <summary>
    /// <c>values[i] = exp(values[i])</c> through the vector exponentials of the runtime, inlined
    /// here: TensorPrimitives.Exp, not precompiled, ran as tier-0 code for the first seconds of a
    /// run on one core, about 2 ms for the seed MLP's 2,560 logits instead of a few microseconds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpInPlace(Span<float> values)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= values.Length; i += Vector512<float>.Count)
                Vector512.Exp(Vector512.Create<float>(values[i..])).CopyTo(values[i..]);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
                Vector256.Exp(Vector256.Create<float>(values[i..])).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) values[i] = MathF.Exp(values[i]);
    }
}
