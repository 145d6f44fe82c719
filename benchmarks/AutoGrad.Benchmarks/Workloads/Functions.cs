namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// The benchmark workloads as a user writes them; the generator adds <c>*Gradient</c> and
/// <c>*Pullback</c> next to each at build time (and <c>*Tangent</c>, <c>*HessianVectorProduct</c>
/// where a workload opts into them). The PyTorch side (benchmarks/pytorch/bench.py)
/// computes the same functions on the same shapes.
/// </summary>
public static partial class Functions
{
    /// <summary>The seed's example, <c>((a+b)(c+d))^2</c>.</summary>
    [Differentiable]
    public static double Seed(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);

    /// <summary>The Rosenbrock function, <c>sum over i &lt; n-1 of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2</c>.</summary>
    [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
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
    /// A scalar tanh RNN cell run over the sequence <paramref name="inputs"/> from <c>h = 0</c>:
    /// <c>h = tanh(w h + u x[t] + b)</c>; the loss is the last state squared.
    /// </summary>
    [Differentiable]
    public static double Recurrence(double w, double u, double b, [NoGradient] double[] inputs)
    {
        double h = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            h = Math.Tanh(w * h + u * inputs[t] + b);
        }
        return h * h;
    }

    /// <summary>
    /// Mean binary cross-entropy of <c>sigmoid(X w + bias)</c> against the labels, from the logits
    /// in the numerically stable form PyTorch's <c>binary_cross_entropy_with_logits</c> uses:
    /// <c>max(z, 0) - z y + log(1 + e^-|z|)</c>. <paramref name="features"/> is row-major,
    /// one row of <c>weights.Length</c> features per sample.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double LogisticLoss(double[] weights, double bias, [NoGradient] double[] features, [NoGradient] double[] labels)
    {
        int featureCount = weights.Length;
        double total = 0;
        for (int sample = 0; sample < labels.Length; sample++)
        {
            double z = bias;
            int row = sample * featureCount;
            for (int j = 0; j < featureCount; j++)
            {
                z += weights[j] * features[row + j];
            }
            total += Math.Max(z, 0) - z * labels[sample] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return total / labels.Length;
    }
}
