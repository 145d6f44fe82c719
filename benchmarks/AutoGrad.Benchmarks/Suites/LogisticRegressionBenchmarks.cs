using AutoGrad.Benchmarks.Workloads;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>Mean binary cross-entropy of a logistic regression, 1000 samples x 10 features, gradient with respect to the weights and bias.</summary>
[Config(typeof(SuiteConfig))]
public class LogisticRegressionBenchmarks
{
    private readonly TapeGradients _tape = new();
    private readonly double[] _features, _labels, _weights;
    private readonly double _bias;
    private readonly double[] _dweights = new double[WorkloadData.LogisticFeatures];
    private double _dbias;

    /// <summary>Makes the problem.</summary>
    public LogisticRegressionBenchmarks() => (_features, _labels, _weights, _bias) = WorkloadData.LogisticProblem();

    /// <summary>The function alone.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Cost)]
    public double Primal() => Functions.LogisticLoss(_weights, _bias, _features, _labels);

    /// <summary>The generated gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double Generated() => Functions.LogisticLossGradient(_weights, _bias, _features, _labels, _dweights, out _dbias);

    /// <summary>The hand-written gradient.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double HandWritten() => HandWrittenGradients.LogisticLoss(_weights, _bias, _features, _labels, _dweights, out _dbias);

    /// <summary>The generated gradient, as the baseline the tape is compared with.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Speedup)]
    public double GeneratedVsTape() => Functions.LogisticLossGradient(_weights, _bias, _features, _labels, _dweights, out _dbias);

    /// <summary>The tape gradient, tape reused.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Speedup)]
    public double Tape() => _tape.LogisticLoss(_weights, _bias, _features, _labels, _dweights, out _dbias);
}
