namespace AutoGrad.Tests.Gradients;

/// <summary>Hessian-vector products through calls: each callee opts into HessianVector, so it has a NamePullbackTangent.</summary>
public static partial class HessianCallFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Cube(double v) => v * v * v;

    /// <summary>The sum of x_i³: H = diag(6 x_i), a closed form.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double SumOfCubes(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Cube(x[i]);
        return s;
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Bump(double a, double b) => Math.Exp(-b * a * a) + Math.Sin(a) * b;

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double WeightedNorm(ReadOnlySpan<double> v, double w)
    {
        double s = 1;
        for (int i = 0; i < v.Length; i++) s += w * v[i] * v[i];
        return Math.Sqrt(s);
    }

    /// <summary>A callee that calls callees.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Nested(ReadOnlySpan<double> v, double w) => WeightedNorm(v, w) * Bump(v[0], w) + Cube(w);

    /// <summary>Calls on windows of the array, on the whole array, on a local buffer, and on a value computed from calls.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Energy(double[] x, double a)
    {
        double s = 0;
        for (int k = 0; k + 2 <= x.Length; k += 2) s += WeightedNorm(x.AsSpan(k, 2), a) * Bump(x[k + 1], a);
        double[] squares = new double[x.Length];
        for (int i = 0; i < x.Length; i++) squares[i] = x[i] * x[i];
        return s + Nested(x, a) + Bump(s, 0.5) + WeightedNorm(squares, 1);
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static float CubeF(float v) => v * v * v;

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static float SumOfCubesF(float[] x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += CubeF(x[i]) * x[0];
        return s;
    }

    /// <summary>A void callee: its NamePullbackTangent takes the outputs' adjoints and their tangents as seeds.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static void Smooth(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(a * x[i]);
    }

    /// <summary>A void callee whose output nothing reads (the differential fuzzer's find): the call has no gradient work.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double UnreadOutput(double[] x, double a)
    {
        double[] unused = new double[x.Length];
        Smooth(x, a, unused);
        return Math.Sin(a * x[0]) * x[1];
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Smoothed(double[] x, double a)
    {
        double[] y = new double[x.Length];
        Smooth(x, a, y);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += y[i] * y[i] * x[i];
        return s;
    }

    /// <summary>A void callee that calls a scalar callee on windows of its input.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static void Pairs(ReadOnlySpan<double> x, double w, Span<double> y)
    {
        for (int k = 0; k + 2 <= x.Length; k += 2) y[k / 2] = WeightedNorm(x.Slice(k, 2), w);
    }

    /// <summary>Void callees writing windows of a buffer, and a nested void callee on the result.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Halves(double[] x, double a)
    {
        double[] y = new double[x.Length];
        Smooth(x.AsSpan(0, 2), a, y.AsSpan(0, 2));
        Smooth(x.AsSpan(2), a * a, y.AsSpan(2));
        double[] p = new double[x.Length / 2];
        Pairs(y, a, p);
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += p[i] * x[i];
        return s;
    }

    /// <summary>A void callee that writes the same buffer again in each iteration: the buffer's old contents are saved and restored.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Rewritten(double[] x, double a)
    {
        double[] y = new double[x.Length];
        double s = 0;
        for (int r = 0; r < 3; r++)
        {
            Smooth(x, a + r, y);
            for (int i = 0; i < y.Length; i++) s += y[i] * x[i] * a;
        }
        return s;
    }

    /// <summary>Constant arguments: an int, a [NoGradient] array, a static array; an argument computed from several inputs.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Weighted(ReadOnlySpan<double> v, [NoGradient] ReadOnlySpan<double> c, int n, double s)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += c[i] * Math.Sin(s * v[i]) * s_scales[i];
        return sum * sum;
    }

    private static readonly double[] s_scales = [1.5, -0.5, 2.0];

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Constants(double[] x, [NoGradient] double[] c)
    {
        double total = 0;
        for (int k = 0; k < 2; k++) total += Weighted(x, c, 3, x[k] * x[3] + 0.5) * Cube(2 * x[k] + 1);
        return total + Weighted(s_scales, c, 2, x[0]);
    }
}
