using AutoGrad.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>Rosenbrock over n doubles uniform in (-1, 1).</summary>
[Config(typeof(SuiteConfig))]
public class RosenbrockBenchmarks
{
    private readonly TapeGradients _tape = new();
    private double[] _x = [];
    private double[] _dx = [];

    /// <summary>The number of variables.</summary>
    [Params(10, 1_000, 100_000)]
    public int N { get; set; }

    /// <summary>Makes the point and the gradient buffer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = WorkloadData.RosenbrockPoint(N);
        _dx = new double[N];
    }

    /// <summary>The function alone.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Cost)]
    public double Primal() => Functions.Rosenbrock(_x);

    /// <summary>The generated gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double Generated() => Functions.RosenbrockGradient(_x, _dx);

    /// <summary>The hand-written gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double HandWritten() => HandWrittenGradients.Rosenbrock(_x, _dx);

    /// <summary>The generated gradient, as the baseline the tape is compared with.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Speedup)]
    public double GeneratedVsTape() => Functions.RosenbrockGradient(_x, _dx);

    /// <summary>The tape gradient, tape reused.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Speedup)]
    public double Tape() => _tape.Rosenbrock(_x, _dx);
}
