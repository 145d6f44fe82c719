using AutoGrad.Gpu.Kernels;
using AutoGrad.Gpu.Training;
using AutoGrad.NN;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Device = AutoGrad.NN.Device;

namespace AutoGrad.Gpu;

/// <summary>
/// An ILGPU accelerator as a training <see cref="Device"/>: the whole step (dense layers, activations, softmax
/// cross-entropy, the optimizer) runs there as kernels; the parameters stay on it between steps. Kernels are
/// compiled on first use and kept for the device's lifetime, so make one device and reuse it.
/// </summary>
public sealed class IlgpuDevice : Device
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;

    private IlgpuDevice(string name, Context context, Accelerator accelerator)
    {
        Name = name;
        _context = context;
        _accelerator = accelerator;
        Kernels = new KernelSet(accelerator);
    }

    /// <summary>ILGPU's CPU accelerator, which simulates a GPU on this machine's threads (name <c>ilgpu-cpu</c>): for tests, and slow.</summary>
    public static IlgpuDevice CreateCpu()
    {
        var context = Context.Create(builder => builder.CPU(CPUDeviceKind.Default).EnableAlgorithms().Optimize(OptimizationLevel.O1));
        return new IlgpuDevice("ilgpu-cpu", context, context.GetCPUDevice(0).CreateAccelerator(context));
    }

    /// <summary>The first CUDA GPU (name <c>cuda</c>).</summary>
    /// <exception cref="InvalidOperationException">No CUDA GPU or driver was found.</exception>
    public static IlgpuDevice CreateCuda()
    {
        var context = Context.Create(builder => builder.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2));
        if (context.GetCudaDevices().Count == 0)
        {
            context.Dispose();
            throw new InvalidOperationException("No CUDA GPU was found (ILGPU needs an NVIDIA GPU and its driver); use --device cpu or ilgpu-cpu.");
        }
        return new IlgpuDevice("cuda", context, context.GetCudaDevice(0).CreateAccelerator(context));
    }

    /// <summary>Whether a CUDA GPU and its driver are present.</summary>
    public static bool IsCudaAvailable()
    {
        using var context = Context.Create(builder => builder.Cuda());
        return context.GetCudaDevices().Count > 0;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>The accelerator's own description, e.g. the GPU's model.</summary>
    public string AcceleratorName => _accelerator.Name;

    internal Accelerator Accelerator => _accelerator;

    internal KernelSet Kernels { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The model is not a <see cref="Sequential"/> of Dense and Activation layers, an activation is the
    /// parametric ReLU, or the optimizer is not one of Sgd, MomentumSgd, Adam, VarioEta.</exception>
    public override TrainingSession Open(ITrainableModel model, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not Sequential sequential)
            throw new NotSupportedException($"The {Name} device trains Sequential models; {model.GetType().Name} runs on Device.Simd.");
        return new IlgpuSession(this, sequential, optimizer);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _accelerator.Dispose();
            _context.Dispose();
        }
    }
}
