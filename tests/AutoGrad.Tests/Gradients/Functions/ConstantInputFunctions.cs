using System.Diagnostics;

namespace AutoGrad.Tests.Gradients;

/// <summary>Integer label and index arrays, and checks of the primal code (issue 8, point 4).</summary>
public static partial class ConstantInputFunctions
{
    /// <summary>Softmax cross-entropy of rows × classes logits against integer labels.</summary>
    [Differentiable]
    public static double CrossEntropy(double[] logits, int[] labels, int classes)
    {
        Debug.Assert(logits.Length == labels.Length * classes);
        double loss = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            double max = logits[r * classes];
            for (int c = 1; c < classes; c++) max = Math.Max(max, logits[r * classes + c]);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[r * classes + c] - max);
            loss += max + Math.Log(sum) - logits[r * classes + labels[r]];
        }
        return loss / labels.Length;
    }

    /// <summary>A gather through a span of indices, passed on to another method.</summary>
    [Differentiable]
    public static double Gathered(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, long scale)
    {
        Trace.Assert(indices.Length > 0, "no indices");
        return scale * SumAt(x, indices) + x[indices[0]] * x[indices[indices.Length - 1]];
    }

    [Differentiable]
    public static double SumAt(ReadOnlySpan<double> x, ReadOnlySpan<int> indices)
    {
        double s = 0;
        foreach (var i in indices) s += x[i] * x[i];
        return s;
    }
}
