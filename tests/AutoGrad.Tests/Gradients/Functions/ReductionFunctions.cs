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
}
