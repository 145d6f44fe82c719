using AutoGrad.Benchmarks.Compare;
using BenchmarkDotNet.Running;

// compare: the quick in-process table; scaling: Rosenbrock from n = 10 to 10^6 (CSV + SVG);
// mlp: the seed MLP's loss and training steps (--profile: where a step's time goes); matmul: our GFLOP/s;
// forkjoin: whether the second core engages on back-to-back matrix products (one thread / sleeping / spinning workers);
// modes: forward mode against the primal and Hessian-vector products against the gradient;
// adbench --instance NAME: one ADBench instance's gradient / objective ratio and memory (benchmarks/adbench.sh);
// gpu: the seed MLP's training step per device (SIMD host, ILGPU CUDA; benchmarks/gpu.sh);
// anything else goes to BenchmarkDotNet (e.g. --filter '*Seed*' --job short).
return args.FirstOrDefault() switch
{
    "compare" => CompareRunner.Run(args[1..]),
    "scaling" => ScalingRunner.Run(args[1..]),
    "mlp" => MlpRunner.Run(args[1..]),
    "matmul" => MlpRunner.RunMatMul(args[1..]),
    "forkjoin" => ForkJoinTrace.Run(args[1..]),
    "modes" => ModesRunner.Run(args[1..]),
    "adbench" => AdBenchRunner.Run(args[1..]),
    "gpu" => GpuRunner.Run(args[1..]),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
