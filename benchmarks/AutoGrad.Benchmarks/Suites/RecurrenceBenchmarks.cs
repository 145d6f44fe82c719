using AutoGrad.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>The scalar tanh RNN cell over 100 steps, loss h^2, gradient with respect to w, u, b.</summary>
[Config(typeof(SuiteConfig))]
public class RecurrenceBenchmarks
{
    private readonly TapeGradients _tape = new();
    private readonly double[] _inputs = WorkloadData.RecurrenceInputs();
    private double _w = WorkloadData.RecurrenceW, _u = WorkloadData.RecurrenceU, _b = WorkloadData.RecurrenceB;
    private double _dw, _du, _db;

    /// <summary>The function alone.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Cost)]
    public double Primal() => Functions.Recurrence(_w, _u, _b, _inputs);

    /// <summary>The generated gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double Generated() => Functions.RecurrenceGradient(_w, _u, _b, _inputs, out _dw, out _du, out _db);

    /// <summary>The hand-written gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double HandWritten() => HandWrittenGradients.Recurrence(_w, _u, _b, _inputs, out _dw, out _du, out _db);

    /// <summary>The generated gradient, as the baseline the tape is compared with.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Speedup)]
    public double GeneratedVsTape() => Functions.RecurrenceGradient(_w, _u, _b, _inputs, out _dw, out _du, out _db);

    /// <summary>The tape gradient, tape reused.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Speedup)]
    public double Tape() => _tape.Recurrence(_w, _u, _b, _inputs, out _dw, out _du, out _db);
}
