namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// The gradients written by hand, as someone tuning one function would: the yardstick for what the
/// generated code could reach. Same signatures and semantics as the generated <c>*Gradient</c> methods.
/// </summary>
public static class HandWrittenGradients
{
    /// <summary>The seed function and its gradient.</summary>
    public static double Seed(double a, double b, double c, double d, out double da, out double db, out double dc, out double dd)
    {
        double sum1 = a + b, sum2 = c + d;
        double product = sum1 * sum2;
        double outer = 2 * product;
        da = db = outer * sum2;
        dc = dd = outer * sum1;
        return product * product;
    }

    /// <summary>Rosenbrock and its gradient in one pass.</summary>
    public static double Rosenbrock(double[] x, Span<double> dx)
    {
        dx.Clear();
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i];
            double valley = x[i + 1] - xi * xi;
            double offset = 1 - xi;
            sum += 100 * valley * valley + offset * offset;
            dx[i] += -400 * valley * xi - 2 * offset;
            dx[i + 1] += 200 * valley;
        }
        return sum;
    }

    /// <summary>The tanh recurrence and its gradient: the states are kept on the stack for the backward pass.</summary>
    public static double Recurrence(double w, double u, double b, double[] inputs, out double dw, out double du, out double db)
    {
        Span<double> states = inputs.Length < 512 ? stackalloc double[inputs.Length + 1] : new double[inputs.Length + 1];
        states[0] = 0;
        for (int t = 0; t < inputs.Length; t++) states[t + 1] = Math.Tanh(w * states[t] + u * inputs[t] + b);
        double last = states[inputs.Length];
        double dh = 2 * last;
        dw = du = db = 0;
        for (int t = inputs.Length - 1; t >= 0; t--)
        {
            double next = states[t + 1];
            double dz = dh * (1 - next * next);
            dw += dz * states[t];
            du += dz * inputs[t];
            db += dz;
            dh = dz * w;
        }
        return last * last;
    }

    /// <summary>Mean binary cross-entropy from logits and its gradient, <c>(sigmoid(z) - y) / n</c> per sample.</summary>
    public static double LogisticLoss(double[] weights, double bias, double[] features, double[] labels, Span<double> dweights, out double dbias)
    {
        dweights.Clear();
        dbias = 0;
        int featureCount = weights.Length;
        double scale = 1.0 / labels.Length;
        double total = 0;
        for (int sample = 0; sample < labels.Length; sample++)
        {
            ReadOnlySpan<double> row = features.AsSpan(sample * featureCount, featureCount);
            double z = bias;
            for (int j = 0; j < row.Length; j++) z += weights[j] * row[j];
            double e = Math.Exp(-Math.Abs(z));
            total += Math.Max(z, 0) - z * labels[sample] + Math.Log(1 + e);
            double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
            double residual = (sigmoid - labels[sample]) * scale;
            for (int j = 0; j < row.Length; j++) dweights[j] += residual * row[j];
            dbias += residual;
        }
        return total * scale;
    }
}
