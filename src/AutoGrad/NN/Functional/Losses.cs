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
}
