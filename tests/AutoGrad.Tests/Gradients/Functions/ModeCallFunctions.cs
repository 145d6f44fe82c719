namespace AutoGrad.Tests.Gradients;

/// <summary>Forward mode through calls: to callees with their own NameTangent, to callees and rules with only a pullback.</summary>
public static partial class ModeCallFunctions
{
    /// <summary>No forward mode of its own: callers take its tangent from its pullback.</summary>
    [Differentiable]
    public static double Bump(double a, double b) => Math.Sin(a) * b + a * a * b;

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double BumpChain(double[] x, double scale)
    {
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++) s += Bump(x[i] * scale, x[i + 1]) * x[i];
        return s;
    }

    [Differentiable]
    public static double WeightedNorm(ReadOnlySpan<double> v, double w)
    {
        double s = 1;
        for (int i = 0; i < v.Length; i++) s += w * v[i] * v[i];
        return Math.Sqrt(s);
    }

    /// <summary>A helper on the whole array, on windows of it, and on a local buffer; a rule on a buffer.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Blocks(double[] x, double w)
    {
        double s = WeightedNorm(x, w);
        for (int k = 0; k + 2 <= x.Length; k += 2) s += WeightedNorm(x.AsSpan(k, 2), w) * x[k];
        double[] scaled = new double[x.Length];
        for (int i = 0; i < x.Length; i++) scaled[i] = x[i] * w;
        return s + CustomDerivativeFunctions.SumOfExp(scaled) + WeightedNorm(scaled, 2);
    }

    /// <summary>[DerivativeOf] rules with scalar inputs, one of them a constant.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Rules(double x, double y) =>
        CustomDerivativeFunctions.SoftPlus(x * y) + CustomDerivativeFunctions.ScaledSoftPlus(x, y, 3) * CustomDerivativeFunctions.SoftPlus(y);

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Inner(double[] x, double a)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Cos(a * x[i]) * x[i];
        return s;
    }

    /// <summary>Calls Inner's own NameTangent; once with an array that has no tangent (a zero direction).</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Outer(double[] x, double a, [NoGradient] double[] c) => Inner(x, a * a) * a + Inner(c, a) + Inner(x, 1.5);

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static void Smooth(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(a * x[i]) + x[i] * x[i];
    }

    /// <summary>A void helper with its own NameTangent, writing a local buffer.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Energy(double[] x, double a)
    {
        double[] y = new double[x.Length];
        Smooth(x, a, y);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += y[i] * y[i] * x[i];
        return s;
    }

    /// <summary>Two outputs per input: with more outputs than inputs the Jacobian goes by tangents, through the calls.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Chain(double[] x, double a, Span<double> output)
    {
        double[] y = new double[x.Length];
        Smooth(x, a, y);
        for (int i = 0; i < x.Length; i++)
        {
            output[2 * i] = Bump(y[i], a);
            output[2 * i + 1] = CustomDerivativeFunctions.SoftPlus(y[i] * x[i]) + WeightedNorm(y, a);
        }
    }

    /// <summary>A void helper's NameTangent writing windows of a buffer: each window of the buffer's tangent.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Halves(double[] x, double a)
    {
        int n = x.Length;
        double[] y = new double[2 * n];
        Smooth(x, a, y.AsSpan(0, n));
        Smooth(x, a * a, y.AsSpan(n, n));
        double s = 0;
        for (int i = 0; i < 2 * n; i++) s += y[i] * y[2 * n - 1 - i];
        return s;
    }

    [Differentiable]
    public static float NormF(ReadOnlySpan<float> v, float w)
    {
        float s = 1;
        for (int i = 0; i < v.Length; i++) s += w * v[i] * v[i];
        return MathF.Sqrt(s);
    }

    /// <summary>Single precision: the gradient along the tangent in float.</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static float BlocksF(float[] x, float w) => NormF(x, w) * x[0] + NormF(x.AsSpan(1, 2), 2);
}
