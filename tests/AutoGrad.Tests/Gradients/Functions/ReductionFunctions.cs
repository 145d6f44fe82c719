namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Reduction loops, some of which the generator reverses inside the forward loop (one fused
/// pass) and some which look alike but must not be: each is checked against finite differences
/// either way. The generator tests pin which of them fuse.
/// </summary>
public static partial class ReductionFunctions
{
    /// <summary>Fuses: two accumulators, one subtracted, values of the iteration, a scaled total.</summary>
    [Differentiable]
    public static double TwoAccumulators(double[] x, double w)
    {
        double sum = 0, squares = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double scaled = w * x[i];
            double shifted = Math.Tanh(scaled) + 0.5;
            sum += shifted;
            squares -= shifted * shifted * x[i];
        }
        double mean = sum / x.Length;
        return mean * 3 + squares;
    }

    /// <summary>Does not fuse: the total is squared after the loop, so its adjoint needs the total.</summary>
    [Differentiable]
    public static double SquaredTotal(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Math.Sin(x[i]);
        return sum * sum;
    }

    /// <summary>Does not fuse: a value carried from one iteration to the next.</summary>
    [Differentiable]
    public static double CarriedValue(double[] x)
    {
        double previous = 1, sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += previous * x[i];
            previous = x[i];
        }
        return sum;
    }

    /// <summary>Does not fuse: the running total is read inside the loop.</summary>
    [Differentiable]
    public static double RunningTotalRead(double[] x)
    {
        double sum = 0, weighted = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
            weighted += sum * x[i];
        }
        return weighted;
    }

    /// <summary>Does not fuse: the iteration's value is read after the loop.</summary>
    [Differentiable]
    public static double LastValueKept(double[] x)
    {
        double last = 0, sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            last = x[i] * x[i];
            sum += last;
        }
        return sum + 2 * last;
    }

    /// <summary>
    /// Does not fuse (a loop follows): a total restarted at zero before its loop, whose value before the
    /// restart the reverse of the product before it reads. The loop saves nothing around it: the
    /// restart restores the old value.
    /// </summary>
    [Differentiable]
    public static double RestartedTotal(double[] x)
    {
        double s = x[0] * x[x.Length - 1];
        double t = s * s;
        s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += x[i] * s;
        return total * t;
    }

    /// <summary>
    /// Does not fuse (a loop follows): a total started at an exp, whose reverse reads the variable as its
    /// result. The loop must save the value before it, or that reverse reads the loop's total instead.
    /// </summary>
    [Differentiable]
    public static double TotalStartedAtExp(double[] x)
    {
        double s = Math.Exp(x[0]);
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        double total = 0;
        for (int i = 0; i < x.Length; i++) total += x[i] * s;
        return total;
    }

    /// <summary>Both through their split halves.</summary>
    [Differentiable]
    public static double RestartedTotals(double[] x)
    {
        double a = RestartedTotal(x);
        double b = TotalStartedAtExp(x);
        return a * b + b;
    }

    /// <summary>Fuses: a reduction with an exp whose stored result the reverse half reuses, and a stride.</summary>
    [Differentiable]
    public static double StridedSoftPlus(double[] x, double bias)
    {
        double total = 0;
        for (int i = 1; i < x.Length; i += 2)
        {
            double e = Math.Exp(x[i - 1] - bias);
            total += Math.Log(1 + e) * x[i];
        }
        return total - bias;
    }

    /// <summary>Fuses: mean logistic loss from logits, a dot product per sample replayed forwards in the reverse half.</summary>
    [Differentiable]
    public static double LogisticLoss(double[] weights, double bias, [NoGradient] double[] features, [NoGradient] double[] labels)
    {
        int featureCount = weights.Length;
        double total = 0;
        for (int sample = 0; sample < labels.Length; sample++)
        {
            double z = bias;
            int row = sample * featureCount;
            for (int j = 0; j < featureCount; j++) z += weights[j] * features[row + j];
            total += Math.Max(z, 0) - z * labels[sample] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return total / labels.Length;
    }

    /// <summary>Fuses: an inner loop adding straight into the outer loop's total, with a value of its own.</summary>
    [Differentiable]
    public static double MatrixSoftSquares(double[] x, int columns)
    {
        double sum = 0;
        for (int r = 0; r < x.Length / columns; r++)
        {
            double weight = r + 1;
            for (int c = 0; c < columns; c++)
            {
                double v = x[r * columns + c] * weight;
                sum += Math.Sqrt(1 + v * v);
            }
        }
        return sum;
    }

    /// <summary>Does not fuse: the per-sample total is read before its inner loop completes it.</summary>
    [Differentiable]
    public static double TotalReadEarly(double[] w, double[] x)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double z = w[i];
            double early = z * z;
            for (int j = 0; j < x.Length; j++) z += w[j] * x[j];
            sum += early * z;
        }
        return sum;
    }

    /// <summary>Does not fuse: the inner loop reads a value that its outer iteration assigns after it.</summary>
    [Differentiable]
    public static double InnerReadsLaterValue(double[] x)
    {
        double sum = 0, scale = 1;
        for (int i = 0; i < x.Length; i++)
        {
            double z = 0;
            for (int j = 0; j < x.Length; j++) z += scale * x[j];
            scale = x[i];
            sum += z * scale;
        }
        return sum;
    }

    /// <summary>Fuses: an inner loop bounded by the outer counter (pairs below the diagonal).</summary>
    [Differentiable]
    public static double TriangularProducts(double[] x, double w)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double product = x[i] * x[j];
                sum += Math.Tanh(product * w);
            }
        }
        return sum;
    }

    /// <summary>Fuses: a hinge loss, its branch replayed in the reverse half.</summary>
    [Differentiable]
    public static double Hinge(double[] x, double w)
    {
        double loss = 0, margins = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double margin = (i % 2 == 0 ? 1 : -1) * x[i] * w;
            if (margin < 1) loss += 1 - margin;
            else margins -= Math.Log(margin);
        }
        return loss + 0.1 * margins;
    }

    /// <summary>Does not fuse: the branch decides on the running total.</summary>
    [Differentiable]
    public static double CappedTotal(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (sum < 1) sum += x[i] * x[i];
        }
        return sum;
    }
}
