namespace AutoGrad.Tests.Gradients;

/// <summary>Guards of the primal code, which the generated derivatives repeat (issue 8, point 4).</summary>
public static partial class GuardFunctions
{
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double LogOf(double x) => x > 0 ? Math.Log(x) : throw new ArgumentOutOfRangeException(nameof(x), "x must be positive");

    [Differentiable]
    public static double Mean(double[] x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, x.Length);
        if (x[0] == 0) throw new ArgumentException("the first weight may not be zero", nameof(x));
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double w = x[i] < 10 ? x[i] * x[0] : throw new InvalidOperationException("weights stay below 10");
            s += w;
        }
        return s / n;
    }
}
