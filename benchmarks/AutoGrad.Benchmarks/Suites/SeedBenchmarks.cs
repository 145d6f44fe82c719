using AutoGrad.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>The seed's <c>((a+b)(c+d))^2</c> at (1, 2, 3, 4).</summary>
[Config(typeof(SuiteConfig))]
public class SeedBenchmarks
{
    private readonly TapeGradients _tape = new();
    private double _a = WorkloadData.SeedA, _b = WorkloadData.SeedB, _c = WorkloadData.SeedC, _d = WorkloadData.SeedD;
    private double _da, _db, _dc, _dd;

    /// <summary>The function alone.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Cost)]
    public double Primal() => Functions.Seed(_a, _b, _c, _d);

    /// <summary>The generated gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double Generated() => Functions.SeedGradient(_a, _b, _c, _d, out _da, out _db, out _dc, out _dd);

    /// <summary>The hand-written gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double HandWritten() => HandWrittenGradients.Seed(_a, _b, _c, _d, out _da, out _db, out _dc, out _dd);

    /// <summary>The generated gradient, as the baseline the tape is compared with.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Speedup)]
    public double GeneratedVsTape() => Functions.SeedGradient(_a, _b, _c, _d, out _da, out _db, out _dc, out _dd);

    /// <summary>The tape gradient, tape reused.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Speedup)]
    public double Tape() => _tape.Seed(_a, _b, _c, _d, out _da, out _db, out _dc, out _dd);
}
