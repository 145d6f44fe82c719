using System;
using AutoGrad;

namespace Samples;

/// <summary>Fused reductions: a per-sample dot product inside the sample loop, and a branch that adds to a total.</summary>
public static partial class Reductions
{
    [Differentiable]
    public static double LogisticLoss(double[] weights, double bias, [NoGradient] double[] features, [NoGradient] double[] labels)
    {
        int featureCount = weights.Length;
        double total = 0;
        for (int sample = 0; sample < labels.Length; sample++)
        {
            double z = bias;
            int row = sample * featureCount;
            for (int j = 0; j < featureCount; j++) z += weights[j] * features[row + j];
            total += Math.Max(z, 0) - z * labels[sample] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return total / labels.Length;
    }

    [Differentiable]
    public static double Hinge(double[] x, [NoGradient] double[] y, double w)
    {
        double loss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double margin = y[i] * x[i] * w;
            if (margin < 1) loss += 1 - margin;
        }
        return loss / x.Length;
    }
}
