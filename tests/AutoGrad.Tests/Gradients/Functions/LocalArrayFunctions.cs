namespace AutoGrad.Tests.Gradients;

/// <summary>Local arrays as numerical code writes them (issue 8, point 4): initialisers and stackalloc scratch.</summary>
public static partial class LocalArrayFunctions
{
    /// <summary>A collection expression of constant weights.</summary>
    [Differentiable]
    public static double Weighted(double[] x)
    {
        double[] w = [0.25, 0.75, -1.5];
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * x[i] * x[i];
        return s;
    }

    /// <summary>Initialisers whose elements depend on the inputs, in the three array-initialiser spellings.</summary>
    [Differentiable]
    public static double ActiveInitializers(double a, double b)
    {
        double[] u = { a * b, Math.Sin(a) };
        var v = new double[] { b, a + b, 2.0 };
        float[] f = new float[2] { 0.5f, (float)2 };
        return u[0] * v[1] + u[1] * v[0] * v[2] + f[0] * f[1] * a;
    }

    /// <summary>Scratch on the stack, as C code keeps small temporaries.</summary>
    [Differentiable]
    public static double StackScratch(double[] x)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < 3; i++) t[i] = Math.Exp(x[i]);
        Span<double> weights = stackalloc double[] { 1.0, -2.0, 0.5 };
        double s = 0;
        for (int i = 0; i < 3; i++) s += weights[i] * t[i] * x[(i + 1) % 3];
        return s;
    }
}

/// <summary>A new scratch array in every iteration of a loop (issue 8, point 2).</summary>
public static partial class LoopArrayFunctions
{
    [Differentiable]
    public static void TanhInto(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = Math.Tanh(x[i]);
    }

    /// <summary>Each row gets a fresh scratch array, filled by element stores and by a call, then read.</summary>
    [Differentiable]
    public static double PerRow(double[] q, int k, int d)
    {
        double s = 0;
        for (int j = 0; j < k; j++)
        {
            var t = new double[d];
            t[0] = q[j * d] * s;
            double[] u = new double[d];
            TanhInto(q.AsSpan(j * d, d), u);
            for (int i = 1; i < d; i++) t[i] = t[i - 1] * 0.5 + u[i] * q[j * d + i];
            s += t[d - 1] + u[0] * t[0];
        }
        return s;
    }

    /// <summary>Nested loops, an array and an initialiser in the inner one, a partly written array read whole.</summary>
    [Differentiable]
    public static double Nested(double[] x, int n)
    {
        double s = 0;
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < x.Length; b++)
            {
                var w = new double[3];
                double[] c = [x[b], 2.0, s];
                w[b % 3] = Math.Sin(x[b] + a);
                for (int i = 0; i < 3; i++) s += w[i] * c[i] * 0.5;
            }
        }
        return s;
    }
}
