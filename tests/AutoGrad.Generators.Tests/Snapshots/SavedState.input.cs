using System;
using AutoGrad;

/// <summary>Less saved state: counted loops (no counter or trip-count saves), replayed iterations (one iteration's saves at a time) and running extremes (no old values).</summary>
public static partial class SavedState
{
    [Differentiable]
    public static double Triangle(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = i + 1; j <= x.Length - 1; j++) s += x[i] * x[j] * (j - i);
        }
        return s;
    }

    [Differentiable]
    public static double ScratchPerRow(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double total = 0;
        for (int r = 0; r < 2; r++)
        {
            for (int s = 0; s < rows; s++)
            {
                for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++) t[j] += Math.Sin(t[i]) * w[(i + j) % w.Length];
                }
                double norm = 0;
                for (int i = 0; i < d; i++)
                {
                    if (t[i] > 0) norm += t[i] * t[i];
                    else norm -= t[i];
                }
                terms[s] = Math.Log(1 + norm) * w[r];
            }
            for (int s = 0; s < rows; s++) total += terms[s] * terms[s];
        }
        return total;
    }

    [Differentiable]
    public static double PartialFill(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        double total = 0;
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d - 1; i++) t[i] = x[s * d + i] * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += Math.Sin(t[i]) * w[i];
            t[d - 1] = norm;
            terms[s] = norm * norm;
        }
        for (int s = 0; s < rows; s++) total += terms[s];
        return total;
    }

    [Differentiable]
    public static double ScratchDeclaredInLoop(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            double[] t = new double[d];
            for (int i = 0; i < d; i++) t[i] += x[s * d + i] * w[i];
            for (int i = 1; i < d; i++) t[i] += Math.Exp(t[i - 1]) * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i];
            terms[s] = Math.Sqrt(norm);
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * w[s % d];
        return total;
    }

    // The row's squared norm only feeds the stored term linearly: the replay leaves its loop out.
    [Differentiable]
    public static double UnreadNorm(double[] w, double[] x, int d)
    {
        int rows = x.Length / d;
        double[] t = new double[d];
        double[] terms = new double[rows];
        for (int s = 0; s < rows; s++)
        {
            for (int i = 0; i < d; i++) t[i] = x[s * d + i] * w[i];
            double norm = 0;
            for (int i = 0; i < d; i++) norm += t[i] * t[i];
            terms[s] = w[0] - 0.5 * norm;
        }
        double total = 0;
        for (int s = 0; s < rows; s++) total += terms[s] * terms[s];
        return total;
    }

    // A running maximum per row: its reverse takes the branch from the result, so nothing is saved for it.
    [Differentiable]
    public static double RowLogSumExp(double[] x, int d)
    {
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            double max = x[r * d];
            for (int i = 1; i < d; i++) max = Math.Max(max, x[r * d + i]);
            double sum = 0;
            for (int i = 0; i < d; i++) sum += Math.Exp(x[r * d + i] - max);
            total += Math.Log(sum) + max;
        }
        return total;
    }

    // A counter declared before its for: the declaration's value is overwritten unread, so the loop is counted.
    [Differentiable]
    public static double CounterDeclaredBefore(double[] x, int d)
    {
        double total = 0;
        for (int r = 0; r < x.Length / d; r++)
        {
            int k = 0;
            double norm = 0;
            for (k = 0; k < d; k++) norm += Math.Sin(x[r * d + k]);
            total += norm * norm;
        }
        return total;
    }
}
