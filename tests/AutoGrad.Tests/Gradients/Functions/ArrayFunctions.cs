namespace AutoGrad.Tests.Gradients;

/// <summary>Array and span inputs: element reads at computed indices, .Length, foreach.</summary>
public static partial class ArrayFunctions
{
    /// <summary>Static members that differentiable code reads as constants.</summary>
    public static readonly double[] Table = [0.5, -1.5, 2.0, 0.25];
    public static double Scale { get; } = 1.5;
    private static readonly double s_offset = 0.3;

    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }
        return s;
    }

    [Differentiable]
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    [Differentiable]
    public static double MirrorProducts(double[] x)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n / 2; i++) s += x[i] * x[n - 1 - i];
        return s;
    }

    [Differentiable]
    public static double PairProducts(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; 2 * i + 1 < x.Length; i++) s += x[2 * i] * Math.Exp(x[2 * i + 1]);
        return s;
    }

    [Differentiable]
    public static double ForEachSquares(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v * v * v;
        return s;
    }

    [Differentiable]
    public static double ForEachOverSpan(ReadOnlySpan<double> x, double scale)
    {
        double s = 1;
        foreach (double v in x) s = s * Math.Cos(v * scale);
        return s;
    }

    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > max) max = x[i];
        }
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
        return max + Math.Log(sum);
    }

    [Differentiable]
    public static double Horner(double[] coefficients, double x)
    {
        double r = 0;
        for (int i = coefficients.Length - 1; i >= 0; i--) r = r * x + coefficients[i];
        return r;
    }

    [Differentiable]
    public static double WeightedSquares(double[] x, [NoGradient] double[] weights)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += weights[i] * x[i] * x[i];
        return s;
    }

    [Differentiable]
    public static double StridedSum(double[] x, int stride, int offset)
    {
        double s = 0;
        for (int i = offset; i < x.Length; i += stride) s += Math.Sin(x[i]) * (i + 1);
        return s;
    }

    /// <summary>Keeps the index of the largest element: an integer loop-carried value picks the read.</summary>
    [Differentiable]
    public static double ArgMaxProduct(double[] x)
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best]) best = i;
        }
        return x[best] * x[0];
    }

    [Differentiable]
    public static double RecurrentProduct(double[] x)
    {
        double p = 1;
        for (int i = 0; i < x.Length; i++) p = p * x[i] + Math.Sin(p);
        return p;
    }

    [Differentiable]
    public static double Norm(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return Math.Sqrt(s);
    }

    [Differentiable]
    public static float SumOfSquaresF(float[] x, float shift)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float d = x[i] - shift;
            s += d * d;
        }
        return s;
    }

    [Differentiable]
    public static float SpanSoftSumF(ReadOnlySpan<float> x)
    {
        float s = 0;
        foreach (float v in x) s += MathF.Log(1 + MathF.Exp(v));
        return s;
    }

    [Differentiable]
    public static double IntegerOverwrittenNonInvertibly(double[] x)
    {
        int k = 1;
        double s = 0;
        while (k < x.Length)
        {
            s += x[k] * x[k - 1];
            k = k * 2 + 1;
        }
        return s;
    }

    [Differentiable]
    public static double ForEachWithBreak(double[] x)
    {
        double s = 0;
        foreach (var v in x)
        {
            if (v < 0) break;
            s += v * s + v;
        }
        return s;
    }

    [Differentiable]
    public static double StaticMembers(double x)
    {
        double s = 0;
        for (int i = 0; i < Table.Length; i++) s += Table[i] * x * Scale + s_offset;
        return s * Math.PI;
    }

    [Differentiable]
    public static double MaxInLoop(double[] x)
    {
        double m = x[0];
        double s = 0;
        for (int i = 1; i < x.Length; i++)
        {
            m = Math.Max(m, x[i]) * 0.9;
            s += m * x[i];
        }
        return s;
    }

    [Differentiable]
    public static float FloatValueStack(float[] x)
    {
        float h = 0;
        for (int i = 0; i < x.Length; i++) h = MathF.Tanh(h * 0.8f + x[i]);
        return h;
    }
}
