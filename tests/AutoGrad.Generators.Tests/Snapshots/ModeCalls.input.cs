using System;
using AutoGrad;

namespace Samples;

public static partial class Rules
{
    public static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));

    [DerivativeOf(typeof(Rules), nameof(SoftPlus))]
    public static void SoftPlusPullback(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));
}

/// <summary>Forward mode through calls: a callee's own NameTangent, or its gradient (by its pullback or rule) along the arguments' tangents.</summary>
public static partial class Calls
{
    [Differentiable]
    public static double Norm(ReadOnlySpan<double> v, double w)
    {
        double s = 1;
        for (int i = 0; i < v.Length; i++) s += w * v[i] * v[i];
        return Math.Sqrt(s);
    }

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Square(double v) => v * v;

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static void Smooth(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(a * x[i]);
    }

    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Energy(double[] x, double a)
    {
        double[] y = new double[x.Length];
        Smooth(x, a, y);
        double s = Norm(y, a);
        for (int k = 0; k + 2 <= x.Length; k += 2) s += Norm(x.AsSpan(k, 2), 1) * Square(x[k]);
        return s + Rules.SoftPlus(a * s);
    }
}
