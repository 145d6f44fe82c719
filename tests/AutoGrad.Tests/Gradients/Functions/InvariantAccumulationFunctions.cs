namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Reverse loops that add to one gradient element at an index the loop does not change: the
/// generator keeps the sum in a local and adds it once after the loop (Peephole).
/// </summary>
public static partial class InvariantAccumulationFunctions
{
    /// <summary>
    /// y = L x for a unit lower-triangular L stored column by column (ADBench GMM's shape), then |y|²:
    /// the reverse of <c>y[j] += l[k] * x[i]</c> adds to dx[i] in the loop over j.
    /// </summary>
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

    /// <summary>
    /// x[at] read in a loop that may run no times: with no weights, <paramref name="at"/> may be out of
    /// range (the method never reads x[at]), and so may the gradient's dx[at].
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double WeightedSquare(double[] x, double[] w, int at)
    {
        double s = 0;
        for (int k = 0; k < w.Length; k++) s += w[k] * w[k] * x[at] * x[at];
        return s;
    }
}
