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
