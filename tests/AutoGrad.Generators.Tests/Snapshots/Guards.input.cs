using System;
using AutoGrad;

public readonly record struct Hyper(double Alpha, int N);

public static partial class Guards
{
    /// <summary>A guard expression, a guard statement, a throw helper, a struct of settings, a new array per iteration.</summary>
    [Differentiable]
    public static double Smooth(double[] x, Hyper h)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(h.N, x.Length);
        if (h.Alpha == 0) throw new ArgumentException("alpha must not be zero", nameof(h));
        double s = 0;
        for (int i = 0; i < h.N; i++)
        {
            var t = new double[2];
            t[0] = x[i] > -1 ? Math.Log(1 + x[i]) : throw new ArgumentOutOfRangeException(nameof(x));
            t[1] = h.Alpha * t[0];
            s += t[0] * t[1];
        }
        return s;
    }
}
