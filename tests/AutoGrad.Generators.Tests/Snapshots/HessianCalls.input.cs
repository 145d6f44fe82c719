using System;
using AutoGrad;

namespace Samples;

/// <summary>Hessian-vector products through calls: the tangent of each callee's pullback is its NamePullbackTangent.</summary>
public static partial class HessianCalls
{
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Norm(ReadOnlySpan<double> v, double w)
    {
        double s = 1;
        for (int i = 0; i < v.Length; i++) s += w * v[i] * v[i];
        return Math.Sqrt(s);
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Cube(double v) => v * v * v;

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Energy(double[] x, double a)
    {
        double s = Norm(x, a);
        for (int k = 0; k + 2 <= x.Length; k += 2) s += Norm(x.AsSpan(k, 2), 1) * Cube(x[k]);
        return s;
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static void Smooth(ReadOnlySpan<double> x, double a, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Math.Tanh(a * x[i]);
    }

    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Rewritten(double[] x, double a)
    {
        double[] y = new double[x.Length];
        double s = 0;
        for (int r = 0; r < 2; r++)
        {
            Smooth(x, a + r, y);
            s += y[0] * x[1];
        }
        return s;
    }
}
