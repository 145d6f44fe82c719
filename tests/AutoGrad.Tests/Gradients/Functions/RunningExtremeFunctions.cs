namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Running extremes (<c>max = Math.Max(max, v)</c>), whose reverse takes the branch from the result
/// and saves no old value, and look-alikes whose old value something else reads, which must keep
/// their saves.
/// </summary>
public static partial class RunningExtremeFunctions
{
    /// <summary>Per row of d: log Σ exp shifted by the row's running maximum, plus the row's running minimum (operands the other way round).</summary>
    [Differentiable]
    public static double RowExtremes(double[] x, int d)
    {
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            double max = x[r * d];
            double min = x[r * d] * 2;
            for (int i = 1; i < d; i++)
            {
                max = Math.Max(max, x[r * d + i]);
                min = Math.Min(x[r * d + i] * 2, min);
            }
            double sum = 0;
            for (int i = 0; i < d; i++) sum += Math.Exp(x[r * d + i] - max);
            total += Math.Log(sum) + max + min * min;
        }
        return total;
    }

    /// <summary><see cref="RowMaximum"/> through its split halves, once per row of a buffer the loop rewrites.</summary>
    [Differentiable]
    public static double RowExtremesThroughSplitHalves(double[] x, int d)
    {
        double[] row = new double[d];
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            for (int i = 0; i < d; i++) row[i] = x[r * d + i] * x[r * d + i];
            total += RowMaximum(row) * x[r * d];
        }
        return total;
    }

    [Differentiable]
    public static double RowMaximum(double[] v)
    {
        double max = v[0];
        for (int i = 1; i < v.Length; i++) max = Math.Max(max, v[i]);
        return max;
    }

    /// <summary>The loop also reads the running maximum elsewhere: its old values are read, so they are saved.</summary>
    [Differentiable]
    public static double ReadInLoop(double[] x, int d)
    {
        double max = x[0];
        double total = 0;
        for (int i = 1; i < x.Length; i++)
        {
            total += max * x[i];
            max = Math.Max(max, x[i]);
        }
        return total + max;
    }

    /// <summary>The start is read before the loop: the reverse of that read needs the start, not the last result.</summary>
    [Differentiable]
    public static double ReadBeforeLoop(double[] x, int d)
    {
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            double max = x[r * d];
            double first = max * max;
            for (int i = 1; i < d; i++) max = Math.Max(max, x[r * d + i]);
            total += first * max;
        }
        return total;
    }

    /// <summary>
    /// The start's reverse reads its own result (exp' = exp) from the variable: the save is kept (without it
    /// the variable would hold the last result, wrong only where the start's adjoint is zero, but 0 × inf is NaN).
    /// </summary>
    [Differentiable]
    public static double StartReadsOwnResult(double[] x, int d)
    {
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            double max = Math.Exp(x[r * d]);
            for (int i = 1; i < d; i++) max = Math.Max(max, x[r * d + i]);
            total += max * max;
        }
        return total;
    }

    /// <summary>Two operands, the running form (<c>m = Math.Max(m, b)</c>) and the plain call.</summary>
    [Differentiable]
    public static double RunningPair(double a, double b)
    {
        double m = a;
        m = Math.Max(m, b);
        return m;
    }

    [Differentiable]
    public static double PlainPair(double a, double b) => Math.Max(a, b);
}
