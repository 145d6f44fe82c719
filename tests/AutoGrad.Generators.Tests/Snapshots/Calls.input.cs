using System;
using AutoGrad;

public static partial class Calls
{
    public static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));

    [DerivativeOf(typeof(Calls), nameof(SoftPlus))]
    public static void SoftPlusPullback(double x, double seed, ref double dx) => dx += seed / (1 + Math.Exp(-x));

    [Differentiable]
    public static double Square(double v) => v * v;

    [Differentiable]
    public static double Dot([NoGradient] double[] weights, double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += weights[i] * x[i];
        return s;
    }

    [Differentiable]
    public static double Loss([NoGradient] double[] w, double[] x, double bias) => Square(SoftPlus(Dot(w, x) + bias));
}
