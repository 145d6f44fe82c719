using AutoGrad.Benchmarks.Workloads;
using AutoGrad.NN;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Suites;

/// <summary>
/// The seed MLP 784-64-64-64-10 (ReLU, softmax cross-entropy): the loss at batch 1 and 256 (primal,
/// generated gradient via Sequential.LossAndGradient, tape gradient in double), and the training steps
/// bench.py times (Adam 0.003 at batch 256, SGD 0.01 at batch 1). Every call uses the first batch.
/// </summary>
[Config(typeof(SuiteConfig))]
public class MlpBenchmarks
{
    private MlpWorkload _work = null!;
    private MlpWorkload.TrainingStep _adam = null!, _sgd = null!;

    /// <summary>Samples per call.</summary>
    [Params(1, 256)]
    public int Batch { get; set; }

    /// <summary>Makes the data, the model and the optimisers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _work = new MlpWorkload();
        _adam = _work.NewAdamStep(5);
        _sgd = _work.NewSgdStep(6);
    }

    /// <summary>Forward pass and mean loss.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Cost)]
    public double Primal() => _work.Primal(0, Batch);

    /// <summary>Sequential.LossAndGradient (generated pullbacks).</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Cost)]
    public double Generated() => _work.Generated(0, Batch);

    /// <summary>The generated gradient, as the baseline the tape is compared with.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SuiteConfig.Speedup)]
    public double GeneratedVsTape() => _work.Generated(0, Batch);

    /// <summary>The tape's matrix records, in double.</summary>
    [Benchmark, BenchmarkCategory(SuiteConfig.Speedup)]
    public double TapeDouble() => _work.Tape(0, Batch);

    /// <summary>LossAndGradient + Adam(0.003) step at batch 256 (runs for either Batch parameter).</summary>
    [Benchmark, BenchmarkCategory("training step")]
    public double AdamStep256() => _adam.Step();

    /// <summary>LossAndGradient + SGD(0.01) step at batch 1 (runs for either Batch parameter).</summary>
    [Benchmark, BenchmarkCategory("training step")]
    public double SgdStep1() => _sgd.Step();
}
