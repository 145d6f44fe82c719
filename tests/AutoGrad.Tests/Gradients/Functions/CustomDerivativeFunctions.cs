namespace AutoGrad.Tests.Gradients;

/// <summary>Plain methods taught to AutoGrad with [DerivativeOf] rules, and differentiable methods that call them.</summary>
public static partial class CustomDerivativeFunctions
{
    public static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));

    [DerivativeOf(typeof(CustomDerivativeFunctions), nameof(SoftPlus))]
    public static void SoftPlusPullback(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

    public static double SumOfExp(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += Math.Exp(v);
        return s;
    }

    [DerivativeOf(typeof(CustomDerivativeFunctions), nameof(SumOfExp))]
    public static void SumOfExpPullback(double[] x, double seed, Span<double> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] += seed * Math.Exp(x[i]);
    }

    /// <summary>A rule with two differentiable inputs and a constant one.</summary>
    public static double ScaledSoftPlus(double x, double beta, int repeat) => repeat * Math.Log(1 + Math.Exp(beta * x)) / beta;

    [DerivativeOf(typeof(CustomDerivativeFunctions), nameof(ScaledSoftPlus))]
    public static void ScaledSoftPlusPullback(double x, double beta, int repeat, double seed, ref double dx, ref double dbeta)
    {
        var sigmoid = 1 / (1 + Math.Exp(-beta * x));
        dx += seed * repeat * sigmoid;
        dbeta += seed * repeat * (x * sigmoid / beta - Math.Log(1 + Math.Exp(beta * x)) / (beta * beta));
    }

    /// <summary>Rounds to quarters; its rule is the straight-through estimator, not the true (zero) derivative.</summary>
    public static double Quantize(double x) => Math.Round(x * 4) / 4;

    [DerivativeOf(typeof(CustomDerivativeFunctions), nameof(Quantize))]
    public static void QuantizePullback(double x, double seed, ref double dx) => dx += seed;

    public static float SoftPlusF(float x) => MathF.Log(1 + MathF.Exp(x));

    [DerivativeOf(typeof(CustomDerivativeFunctions), nameof(SoftPlusF))]
    public static void SoftPlusFPullback(float x, float seed, ref float dx) => dx += seed / (1 + MathF.Exp(-x));

    [Differentiable]
    public static double SoftPlusLayer(double x, double w, double b) => SoftPlus(w * x + b) * x;

    [Differentiable]
    public static double SoftPlusInLoop(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += SoftPlus(x[i] - i) * x[i];
        return s;
    }

    [Differentiable]
    public static double LogSumOfExp(double[] x, double t) => Math.Log(SumOfExp(x)) * t;

    [Differentiable]
    public static double ScaledSoftPlusTwice(double x, double beta) => ScaledSoftPlus(x, beta, 2) + ScaledSoftPlus(x * x, beta, 1);

    [Differentiable]
    public static double QuantizedProduct(double x, double y) => Quantize(x) * y;

    [Differentiable]
    public static float SoftPlusF2(float x, float y) => SoftPlusF(x * y) + y;

    [Differentiable]
    public static double RuleWithNoGradientArray(double[] x, [NoGradient] double[] w) =>
        CustomDerivativeFunctions.SumOfExp(w) * x[0] + CustomDerivativeFunctions.SumOfExp(x);

    [Differentiable]
    public static double RuleCallInBranchAndLoop(double x, int n)
    {
        double s = x;
        for (int i = 0; i < n; i++)
        {
            if (s > 1) s = CustomDerivativeFunctions.SoftPlus(s - 2) + s * 0.5;
            else s = s * 1.7 + 0.1;
        }
        return s;
    }
}
