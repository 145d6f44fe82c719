using AutoGrad;

namespace Newton;

/// <summary>The functions the sample optimises, as a user writes them; the generator adds their derivatives.</summary>
public static partial class Objectives
{
    /// <summary>The Rosenbrock function in n dimensions; its minimum is 0 at (1, ..., 1).</summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double valley = x[i + 1] - x[i] * x[i];
            double offset = 1 - x[i];
            sum += 100 * valley * valley + offset * offset;
        }
        return sum;
    }

    /// <summary>
    /// Mean logistic loss of a linear model with an L2 penalty: features row-major (samples x
    /// weights.Length), labels 0 or 1, in the stable form log(1 + e^z) - y z = max(z, 0) - y z + log(1 + e^-|z|).
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVector)]
    public static double Logistic(double[] weights, [NoGradient] double[] features, [NoGradient] double[] labels, [NoGradient] double penalty)
    {
        int count = weights.Length;
        double total = 0;
        for (int sample = 0; sample < labels.Length; sample++)
        {
            double z = 0;
            for (int j = 0; j < count; j++) z += weights[j] * features[sample * count + j];
            total += Math.Max(z, 0) - z * labels[sample] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        double norm = 0;
        for (int j = 0; j < count; j++) norm += weights[j] * weights[j];
        return total / labels.Length + 0.5 * penalty * norm;
    }

    /// <summary>The residuals of the model amplitude * exp(-rate t) + offset against measurements y.</summary>
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void DecayResiduals(double amplitude, double rate, double offset, [NoGradient] double[] t, [NoGradient] double[] y, Span<double> residuals)
    {
        for (int i = 0; i < t.Length; i++) residuals[i] = amplitude * Math.Exp(-rate * t[i]) + offset - y[i];
    }
}
