namespace AutoGrad.Tests.Gradients;

/// <summary>Loops whose gradient code runs in a vector's lanes: stores, an index that advances with the loop, counted-down reverse loops.</summary>
public static partial class SweepLaneFunctions
{
    /// <summary>
    /// GMM's inner loops, per point of n, of dimension d: y = diag(factors) x plus the strictly lower triangle
    /// (packed column by column after the diagonal) times x, one running index into the factors; then the sum of log(1 + |y|²). Each point's
    /// iteration only fills its locals and its term, so the reverse sweep replays it, as it does GMM's.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double TriangularNorms(double[] factors, double[] x, int d, int n)
    {
        double[] y = new double[d];
        double[] terms = new double[n];
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < d; i++)
            {
                y[i] = factors[i] * x[p * d + i];
            }
            int lower = d;
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    y[j] += factors[lower] * x[p * d + i];
                    lower++;
                }
            }
            double sum = 0;
            for (int i = 0; i < d; i++)
            {
                sum += y[i] * y[i];
            }
            terms[p] = Math.Log(1 + sum);
        }
        double total = 0;
        for (int p = 0; p < n; p++)
        {
            total += terms[p];
        }
        return total;
    }

    /// <summary><see cref="Blend"/> row by row of a width × rows matrix: the lanes' overlap check is made once, before the loop over the rows.</summary>
    [Differentiable]
    public static void BlendRows(double[] x, double c, int width, int rows, Span<double> y)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int i = 1; i < width; i++)
            {
                y[r * width + i] = x[r * width + i - 1] * c + x[r * width + i];
            }
        }
    }

    /// <summary>Each element from its left neighbour: in place (x passed as y too) every iteration reads the one before it wrote.</summary>
    [Differentiable]
    public static void Blend(double[] x, double c, Span<double> y)
    {
        for (int i = 1; i < x.Length; i++)
        {
            y[i] = x[i - 1] * c + x[i];
        }
    }
}
