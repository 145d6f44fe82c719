using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// Checks once, before timing, that the three gradients of a workload agree with each other and
/// that their values match the primal, so the table never times a wrong answer.
/// </summary>
public static class GradientCheck
{
    private const double RelativeTolerance = 1e-9;

    /// <summary>"ok", or what disagrees.</summary>
    public static string Run(Workload workload)
    {
        var generated = new double[workload.ParameterCount];
        var tape = new double[workload.ParameterCount];
        var handWritten = new double[workload.ParameterCount];
        double primal = workload.Primal();
        double[] values = [workload.Generated(generated), workload.Tape(tape), workload.HandWritten(handWritten)];
        foreach (double value in values)
        {
            if (!Close(value, primal)) return $"value {value} != primal {primal}";
        }
        double scale = MaxAbs(handWritten);
        for (int i = 0; i < handWritten.Length; i++)
        {
            if (!Close(generated[i], handWritten[i], scale)) return $"generated d[{i}] {generated[i]} != {handWritten[i]}";
            if (!Close(tape[i], handWritten[i], scale)) return $"tape d[{i}] {tape[i]} != {handWritten[i]}";
        }
        return "ok";
    }

    private static bool Close(double actual, double expected, double scale = 0) =>
        Math.Abs(actual - expected) <= RelativeTolerance * Math.Max(Math.Max(Math.Abs(expected), scale), 1e-300);

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (double value in values) max = Math.Max(max, Math.Abs(value));
        return max;
    }
}
