using AutoGrad.Benchmarks;

// compare: the quick in-process table; scaling: Rosenbrock from n = 10 to 10^6 (CSV + SVG);
// mlp: the seed MLP's loss and training steps (--profile: where a step's time goes); matmul: our GFLOP/s;
// forkjoin: whether the second core engages on back-to-back matrix products (one thread / sleeping / spinning workers);
// modes: forward mode against the primal and Hessian-vector products against the gradient;
// adbench --instance NAME: one ADBench instance's gradient / objective ratio and memory (benchmarks/adbench.sh);
// gpu: the seed MLP's training step per device (SIMD host, ILGPU CUDA; benchmarks/gpu.sh);
// anything else goes to BenchmarkDotNet (e.g. --filter '*Seed*' --job short). `--help` lists the modes' options.
return Commands.Run(args);
