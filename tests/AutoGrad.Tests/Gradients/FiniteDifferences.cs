namespace AutoGrad.Tests.Gradients;

/// <summary>Central finite differences: the reference every generated gradient is checked against.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// The gradient of <paramref name="f"/> at <paramref name="point"/>, perturbing each input by a
    /// step relative to its size (absolute near zero).
    /// </summary>
    public static double[] Gradient(Func<double[], double> f, double[] point, double relativeStep = 1e-6)
    {
        var x = (double[])point.Clone();
        var gradient = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var xi = x[i];
            var step = relativeStep * Math.Max(1, Math.Abs(xi));
            var up = xi + step;
            var down = xi - step;
            x[i] = up;
            var fUp = f(x);
            x[i] = down;
            var fDown = f(x);
            x[i] = xi;
            gradient[i] = (fUp - fDown) / (up - down);
        }
        return gradient;
    }
}
