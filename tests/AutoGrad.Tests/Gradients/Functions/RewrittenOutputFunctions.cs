namespace AutoGrad.Tests.Gradients;

/// <summary>Void helpers that write a span, called in loops and twice on one buffer (issue 8, point 4).</summary>
public static partial class RewrittenOutputFunctions
{
    [Differentiable]
    public static void TanhInto(ReadOnlySpan<double> x, double scale, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(scale * x[i]);
    }

    /// <summary>y = c x, with a hand-written rule.</summary>
    public static void ScaleInto(ReadOnlySpan<double> x, double c, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = c * x[i];
    }

    [DerivativeOf(typeof(RewrittenOutputFunctions), nameof(ScaleInto), ReadsOutputs = false)]
    public static void ScaleIntoPullback(ReadOnlySpan<double> x, double c, Span<double> y, ReadOnlySpan<double> dy, Span<double> dx, ref double dc)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!dx.IsEmpty) dx[i] += c * dy[i];
            dc += x[i] * dy[i];
        }
    }

    [Differentiable]
    public static double TwiceOnOneBuffer(double[] x, double a)
    {
        double[] t = new double[x.Length];
        TanhInto(x, a, t);
        double s = 0;
        for (int i = 0; i < t.Length; i++) s += t[i] * x[i];
        TanhInto(x, 2 * a, t);
        for (int i = 0; i < t.Length; i++) s += t[i] * t[i];
        ScaleInto(x, a, t);
        return s + t[0] * t[1];
    }

    /// <summary>A recurrence: each step reads the previous output, then a call writes it again.</summary>
    [Differentiable]
    public static double CalledInLoop(double[] x, double a, int steps)
    {
        double[] h = new double[x.Length];
        double[] next = new double[x.Length];
        double s = 0;
        for (int k = 0; k < steps; k++)
        {
            for (int i = 0; i < h.Length; i++) h[i] = next[i] + x[i];
            TanhInto(h, a, next);
            s += next[0] * x[1];
            ScaleInto(next, 0.5 + a, h);
            s += h[1] * h[1];
        }
        return s + next[1];
    }

    /// <summary>A void method whose output a helper writes in a loop, row by row through the whole output.</summary>
    [Differentiable]
    public static void Layered(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int k = 0; k < 3; k++)
        {
            TanhInto(x, a * (k + 1), y);
            ScaleInto(x, y[0], y);
        }
    }
}
