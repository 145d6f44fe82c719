using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Kernels;

/// <summary>Softmax cross-entropy against class labels, and the one reduction a step reads back.</summary>
internal static class LossKernels
{
    /// <summary>The largest group <see cref="Summarize"/> runs with; shared memory is sized for it.</summary>
    public const int MaxSummaryGroup = 256;

    /// <summary>
    /// Per row: <c>loss[r] = log Σ exp(z) − z[label]</c> (stable: shifted by the row's maximum) and
    /// <c>dz = (softmax(z) − onehot(label)) / rows</c>, the gradient of the mean loss.
    /// </summary>
    public static void SoftmaxCrossEntropy(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> dlogits, ArrayView<float> rowLoss,
        int rows, int classes, int stride)
    {
        for (int r = index; r < rows; r += stride)
        {
            int offset = r * classes;
            float max = logits[offset];
            for (int c = 1; c < classes; c++) max = MathF.Max(max, logits[offset + c]);
            float sum = 0;
            for (int c = 0; c < classes; c++) sum += MathF.Exp(logits[offset + c] - max);
            float logSumExp = max + MathF.Log(sum);
            int label = labels[r];
            rowLoss[r] = logSumExp - logits[offset + label];
            for (int c = 0; c < classes; c++)
                dlogits[offset + c] = (MathF.Exp(logits[offset + c] - logSumExp) - (c == label ? 1f : 0f)) / rows;
        }
    }

    /// <summary>
    /// One group: <c>summary = [Σ rowLoss, Σ g², count of non-finite g]</c>, so a step reads back three numbers.
    /// The group size must be a power of two.
    /// </summary>
    public static void Summarize(ArrayView<float> rowLoss, ArrayView<float> gradient, ArrayView<float> summary, int rows, int length)
    {
        var losses = SharedMemory.Allocate<float>(MaxSummaryGroup);
        var squares = SharedMemory.Allocate<float>(MaxSummaryGroup);
        var nonFinite = SharedMemory.Allocate<float>(MaxSummaryGroup);
        int t = Group.IdxX, size = Group.DimX;
        float loss = 0, square = 0, bad = 0;
        for (int i = t; i < rows; i += size) loss += rowLoss[i];
        for (int i = t; i < length; i += size)
        {
            float g = gradient[i];
            square += g * g;
            if (!(MathF.Abs(g) <= float.MaxValue)) bad += 1;
        }
        losses[t] = loss;
        squares[t] = square;
        nonFinite[t] = bad;
        Group.Barrier();
        for (int half = size / 2; half > 0; half /= 2)
        {
            if (t < half)
            {
                losses[t] += losses[t + half];
                squares[t] += squares[t + half];
                nonFinite[t] += nonFinite[t + half];
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            summary[0] = losses[0];
            summary[1] = squares[0];
            summary[2] = nonFinite[0];
        }
    }
}
