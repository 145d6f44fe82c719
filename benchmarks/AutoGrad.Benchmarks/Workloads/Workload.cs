namespace AutoGrad.Benchmarks.Workloads;

/// <summary>Computes a workload's value and writes its gradient (all parameters, flattened) into the span.</summary>
public delegate double GradientCall(Span<double> gradient);

/// <summary>
/// One workload, ready to run: its primal and its gradient three ways, all over the same inputs.
/// </summary>
/// <param name="Name">The name shared with bench.py's JSON records (without the _grad suffix).</param>
/// <param name="Size">The problem size bench.py reports as n.</param>
/// <param name="ParameterCount">The length of the gradient.</param>
/// <param name="Primal">The function itself.</param>
/// <param name="Generated">The generated <c>*Gradient</c>.</param>
/// <param name="Tape">The tape gradient, tape reused with Reset.</param>
/// <param name="HandWritten">The hand-written gradient.</param>
public sealed record Workload(
    string Name, int Size, int ParameterCount, Func<double> Primal, GradientCall Generated, GradientCall Tape, GradientCall HandWritten)
{
    /// <summary>The workloads of the comparison, with Rosenbrock at the given sizes.</summary>
    public static IReadOnlyList<Workload> All(TapeGradients tape, IEnumerable<int> rosenbrockSizes)
    {
        var list = new List<Workload> { Seed(tape) };
        foreach (int n in rosenbrockSizes) list.Add(Rosenbrock(tape, n));
        list.Add(Recurrence(tape));
        list.Add(Logistic(tape));
        return list;
    }

    /// <summary>The seed function at (1, 2, 3, 4).</summary>
    public static Workload Seed(TapeGradients tape)
    {
        // Read through an array so the JIT cannot fold the inputs as constants.
        double[] p = [WorkloadData.SeedA, WorkloadData.SeedB, WorkloadData.SeedC, WorkloadData.SeedD];
        return new Workload("seed", 1, 4,
            () => Functions.Seed(p[0], p[1], p[2], p[3]),
            g => Functions.SeedGradient(p[0], p[1], p[2], p[3], out g[0], out g[1], out g[2], out g[3]),
            g => tape.Seed(p[0], p[1], p[2], p[3], out g[0], out g[1], out g[2], out g[3]),
            g => HandWrittenGradients.Seed(p[0], p[1], p[2], p[3], out g[0], out g[1], out g[2], out g[3]));
    }

    /// <summary>Rosenbrock over <paramref name="n"/> doubles.</summary>
    public static Workload Rosenbrock(TapeGradients tape, int n)
    {
        double[] x = WorkloadData.RosenbrockPoint(n);
        return new Workload("rosenbrock", n, n,
            () => Functions.Rosenbrock(x),
            g => Functions.RosenbrockGradient(x, g),
            g => tape.Rosenbrock(x, g),
            g => HandWrittenGradients.Rosenbrock(x, g));
    }

    /// <summary>The tanh recurrence over 100 steps; the gradient is (dw, du, db).</summary>
    public static Workload Recurrence(TapeGradients tape)
    {
        double[] inputs = WorkloadData.RecurrenceInputs();
        double[] p = [WorkloadData.RecurrenceW, WorkloadData.RecurrenceU, WorkloadData.RecurrenceB];
        return new Workload("rnn_tanh", inputs.Length, 3,
            () => Functions.Recurrence(p[0], p[1], p[2], inputs),
            g => Functions.RecurrenceGradient(p[0], p[1], p[2], inputs, out g[0], out g[1], out g[2]),
            g => tape.Recurrence(p[0], p[1], p[2], inputs, out g[0], out g[1], out g[2]),
            g => HandWrittenGradients.Recurrence(p[0], p[1], p[2], inputs, out g[0], out g[1], out g[2]));
    }

    /// <summary>Logistic regression, 1000 samples x 10 features; the gradient is (dweights..., dbias).</summary>
    public static Workload Logistic(TapeGradients tape)
    {
        var (features, labels, weights, bias) = WorkloadData.LogisticProblem();
        int k = weights.Length;
        return new Workload("logreg", labels.Length, k + 1,
            () => Functions.LogisticLoss(weights, bias, features, labels),
            g => Functions.LogisticLossGradient(weights, bias, features, labels, g[..k], out g[k]),
            g => tape.LogisticLoss(weights, bias, features, labels, g[..k], out g[k]),
            g => HandWrittenGradients.LogisticLoss(weights, bias, features, labels, g[..k], out g[k]));
    }
}
