using AutoGrad.Gpu.Kernels;
using AutoGrad.NN;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Tests;

/// <summary>Each optimizer kernel against the host optimizer's Step, on the same parameters and gradients, three steps.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class OptimizerKernelTests(CpuAcceleratorFixture fixture)
{
    private const int Length = 333;
    private readonly KernelSet _kernels = fixture.Device.Kernels;
    private readonly Accelerator _accelerator = fixture.Device.Accelerator;

    [Fact]
    public void Sgd_matches_the_host()
    {
        var host = new Sgd(Length, 0.1f);
        Run(host, (p, g, state, step) => _kernels.Sgd(p, g, host.LearningRate, Length));
    }

    [Fact]
    public void Momentum_matches_the_host()
    {
        var host = new MomentumSgd(Length, 0.05f, 0.8f);
        Run(host, (p, g, state, step) => _kernels.Momentum(p, g, state[0], host.LearningRate, host.Momentum, Length));
    }

    [Fact]
    public void Adam_matches_the_host()
    {
        var host = new Adam(Length, 0.01f, 0.8f, 0.9f, 1e-6f);
        Run(host, (p, g, state, step) => _kernels.Adam(p, g, state[0], state[1],
            new AdamStep((float)(host.LearningRate / (1 - Math.Pow(host.Beta1, step))), (float)(1 / (1 - Math.Pow(host.Beta2, step))), host.Beta1, host.Beta2, host.Epsilon), Length));
    }

    [Fact]
    public void Vario_eta_matches_the_host()
    {
        var host = new VarioEta(Length, 0.01f, 0.9f, 1e-4f);
        Run(host, (p, g, state, step) => _kernels.VarioEta(p, g, state[0], state[1],
            new VarioEtaStep(host.LearningRate, host.Decay, (float)(1 - Math.Pow(host.Decay, step)), host.Epsilon), Length));
    }

    private void Run(Optimizer host, Action<ArrayView<float>, ArrayView<float>, ArrayView<float>[], long> deviceStep)
    {
        var parameters = Compare.Random(Length, 31);
        using var deviceParameters = _accelerator.Allocate1D(parameters);
        var state = host.State.Select(_ => _accelerator.Allocate1D<float>(Length)).ToArray();
        foreach (var buffer in state) buffer.MemSetToZero();
        try
        {
            for (int step = 1; step <= 3; step++)
            {
                var gradient = Compare.Random(Length, 40 + step, scale: 0.5f);
                host.Step(parameters, gradient);
                using var deviceGradient = _accelerator.Allocate1D(gradient);
                deviceStep(deviceParameters.View, deviceGradient.View, [.. state.Select(s => (ArrayView<float>)s.View)], step);
            }
            Compare.Close(parameters, deviceParameters.GetAsArray1D(), $"{host.Kind} parameters");
            for (int i = 0; i < state.Length; i++) Compare.Close(host.State[i], state[i].GetAsArray1D(), $"{host.Kind} state {i}");
        }
        finally
        {
            foreach (var buffer in state) buffer.Dispose();
        }
    }
}
