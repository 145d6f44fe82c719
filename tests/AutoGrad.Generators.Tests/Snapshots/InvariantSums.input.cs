using System;
using AutoGrad;

/// <summary>Loop-invariant gradient elements summed in a local, added once after the loop when it ran.</summary>
public static partial class InvariantSums
{
    /// <summary>A triangular product (ADBench GMM's shape): dx[i] in the loop over j, a reverse loop with a trip count.</summary>
    [Differentiable]
    public static double TriangularNorm(double[] l, double[] x)
    {
        int d = x.Length;
        double[] y = new double[d];
        for (int i = 0; i < d; i++) y[i] = x[i];
        int k = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                y[j] += l[k] * x[i];
                k++;
            }
        }
        double norm = 0;
        for (int i = 0; i < d; i++) norm += y[i] * y[i];
        return norm;
    }

    /// <summary>A fused reduction (a flag says whether it ran), and its Hessian-vector product.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double WeightedSquare(double[] x, double[] w, int at)
    {
        double s = 0;
        for (int k = 0; k < w.Length; k++) s += w[k] * w[k] * x[at] * x[at];
        return s;
    }
}
