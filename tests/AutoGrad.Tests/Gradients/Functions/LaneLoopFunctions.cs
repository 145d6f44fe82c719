namespace AutoGrad.Tests.Gradients;

/// <summary>Loops whose NameTangent runs several iterations at once in a vector's lanes: offsets, subtraction, nesting, floats.</summary>
public static partial class LaneLoopFunctions
{
    /// <summary>Second differences read at i - 1, i and i + 1 from i = 1, each through a square root (a smoothed absolute value).</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double SmoothedCurvature(double[] x, double epsilon)
    {
        double sum = 0;
        for (int i = 1; i < x.Length - 1; i++)
        {
            double curvature = x[i + 1] - 2 * x[i] + x[i - 1];
            sum += Math.Sqrt(curvature * curvature + epsilon);
        }
        return sum;
    }

    /// <summary>A sum that subtracts, with a division, an absolute value and a [NoGradient] array read in lanes.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double WeightedDeviations(double[] x, [NoGradient] double[] weights, double centre)
    {
        double total = 10;
        for (int i = 0; i < x.Length; i++)
        {
            double deviation = (x[i] - centre) / (1 + weights[i] * weights[i]);
            total -= weights[i] * Math.Abs(deviation) * deviation;
        }
        return total;
    }

    /// <summary>Max and Min lane by lane (their tangents pick one side per lane).</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double ClippedSquares(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double y = Math.Max(x[i] * x[i] - 0.25, 0.5 * x[i]);
            sum += y * Math.Min(y, 0.75);
        }
        return sum;
    }

    /// <summary>The inner loop reads <c>a[r * n + c]</c>, at an offset the outer loop sets, and <c>x[r]</c>, the same in every lane.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double RowDistances(double[] a, double[] x, int n)
    {
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            double row = 0;
            for (int c = 0; c < n; c++)
            {
                double d = a[r * n + c] - x[c] * x[r];
                row += d * d * (1 + x[c] * x[c]);
            }
            sum += row * x[r];
        }
        return sum;
    }

    /// <summary>Residuals of a straight line in the index (an index as a value, converted lane by lane).</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double TrendResiduals(double[] y, double slope, double intercept)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = y[i] - (intercept + slope * (i + 1));
            sum += r * r * (1 + r * r);
        }
        return sum;
    }

    /// <summary>Floats (eight lanes) up to an inclusive bound, with the index as a value.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static float FloatSquares(float[] x)
    {
        float sum = 0;
        int last = x.Length - 1;
        for (int i = 0; i <= last; i++)
        {
            float y = x[i] * x[i] - 0.5f * x[i] + 0.001f * i;
            sum += y * y;
        }
        return sum;
    }
}
