using System;
using AutoGrad;

namespace Samples;

public static partial class Objectives
{
    [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double LogisticLoss(double[] w, double b, [NoGradient] double[] x, [NoGradient] double[] y, int features)
    {
        double loss = 0;
        int samples = y.Length;
        for (int s = 0; s < samples; s++)
        {
            double z = b;
            for (int j = 0; j < features; j++) z += w[j] * x[s * features + j];
            loss += Math.Log(1 + Math.Exp(-y[s] * z));
        }
        return loss / samples;
    }

    [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double Mixed(double a, double b)
    {
        double t = Math.Tanh(a * b) / (1 + b * b);
        if (a > 0) t += Math.Sqrt(a) * Math.Sin(b);
        else t -= a > -1 ? Math.Pow(a, 3) : a * b;
        return t * a;
    }

    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Residuals(double amplitude, double rate, [NoGradient] double[] t, [NoGradient] double[] y, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++) r[i] = amplitude * Math.Exp(-rate * t[i]) - y[i];
    }
}
