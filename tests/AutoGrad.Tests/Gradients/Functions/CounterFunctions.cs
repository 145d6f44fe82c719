namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Loops whose counters the reverse sweep sets again (start + trips × step) instead of saving, and
/// whose trip counts it recomputes from the start and the bound; and look-alikes that must keep
/// their saves: a counter read after its loop, a bound the loop changes, a step that can be skipped.
/// </summary>
public static partial class CounterFunctions
{
    /// <summary>A triangle of counters started from the outer one, with both kinds of inclusive bound.</summary>
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

    /// <summary>Downwards loops, with both kinds of bound, and a counter of type long.</summary>
    [Differentiable]
    public static double Downwards(double[] x)
    {
        double s = 1;
        for (int i = x.Length - 1; i >= 0; i--) s = s * 0.5 + x[i] * i;
        for (long k = x.Length - 1; k > 0; k--) s = Math.Sin(s) + x[(int)k] * x[(int)k - 1];
        return s;
    }

    /// <summary>Two sibling loops that share one counter, a while loop started a few statements before it, and a step of 2.</summary>
    [Differentiable]
    public static double SharedCounter(double[] x)
    {
        int i = 0;
        double s = 0;
        double t = 1;
        while (i < x.Length) { s += Math.Tanh(x[i] * t); i++; }
        i = 1;
        t = s;
        while (i < x.Length) { s = s * x[i] + t; i += 2; }
        return s;
    }

    /// <summary>The counter is read after the loop: its old value is live, so the start keeps its save.</summary>
    [Differentiable]
    public static double CounterReadAfter(double[] x)
    {
        double s = 0;
        int i = 0;
        for (int r = 0; r < 2; r++)
        {
            for (i = r; i < x.Length && x[i] < 2; i++) s = s * x[i] + 1;
            s += x[i % x.Length] * i;
        }
        return s;
    }

    /// <summary>The bound changes inside the loop: the trip count is recorded.</summary>
    [Differentiable]
    public static double MovingBound(double[] x)
    {
        double s = 0;
        for (int r = 0; r < 2; r++)
        {
            int end = x.Length;
            for (int i = 0; i < end; i++) { s = s * x[i] + x[end - 1]; end--; }
        }
        return s;
    }

    /// <summary>A continue skips the rest of the body but not the step; a break can skip the step.</summary>
    [Differentiable]
    public static double SkippedSteps(double[] x)
    {
        double s = 0;
        for (int r = 0; r < 2; r++)
        {
            for (int i = r; i < x.Length; i++)
            {
                if (x[i] < 0) continue;
                s = s * x[i] + 0.5;
            }
            for (int i = 0; i < x.Length; i++)
            {
                if (s > 4) break;
                s = s * x[i] + r;
            }
        }
        return s;
    }
}
