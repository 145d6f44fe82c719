namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// Deterministic inputs for the workloads, with the shapes and parameters bench.py uses. The values
/// come from <see cref="Random"/> rather than torch's generator, so they differ from PyTorch's;
/// no workload's cost depends on them.
/// </summary>
public static class WorkloadData
{
    /// <summary>The point the seed function is differentiated at.</summary>
    public const double SeedA = 1, SeedB = 2, SeedC = 3, SeedD = 4;

    /// <summary>The recurrence's length and parameters (w, u, b), as in bench.py.</summary>
    public const int RecurrenceSteps = 100;

    /// <summary>The recurrence's weight on the previous state.</summary>
    public const double RecurrenceW = 0.5;

    /// <summary>The recurrence's weight on the input.</summary>
    public const double RecurrenceU = 0.8;

    /// <summary>The recurrence's bias.</summary>
    public const double RecurrenceB = 0.1;

    /// <summary>The logistic regression's shape, as in bench.py.</summary>
    public const int LogisticSamples = 1000, LogisticFeatures = 10;

    /// <summary>The Rosenbrock sizes the suites and the compare runner use.</summary>
    public static readonly int[] RosenbrockSizes = [10, 1_000, 100_000];

    /// <summary><paramref name="n"/> values uniform in (-1, 1).</summary>
    public static double[] RosenbrockPoint(int n)
    {
        var random = new Random(1);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.NextDouble() * 2 - 1;
        return x;
    }

    /// <summary>The recurrence's input sequence: standard normal values.</summary>
    public static double[] RecurrenceInputs()
    {
        var random = new Random(2);
        var inputs = new double[RecurrenceSteps];
        for (int t = 0; t < inputs.Length; t++) inputs[t] = Normal(random);
        return inputs;
    }

    /// <summary>A logistic regression problem: features, labels drawn from a true model, and starting weights.</summary>
    public static (double[] Features, double[] Labels, double[] Weights, double Bias) LogisticProblem()
    {
        var random = new Random(3);
        var features = new double[LogisticSamples * LogisticFeatures];
        for (int i = 0; i < features.Length; i++) features[i] = Normal(random);
        var trueWeights = new double[LogisticFeatures];
        for (int j = 0; j < trueWeights.Length; j++) trueWeights[j] = Normal(random);
        var labels = new double[LogisticSamples];
        for (int i = 0; i < labels.Length; i++)
        {
            double z = 0;
            for (int j = 0; j < LogisticFeatures; j++) z += trueWeights[j] * features[i * LogisticFeatures + j];
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
        var weights = new double[LogisticFeatures];
        for (int j = 0; j < weights.Length; j++) weights[j] = 0.1 * Normal(random);
        return (features, labels, weights, 0.0);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
