namespace AutoGrad.NN;

/// <summary>
/// Where a model's training steps run. <see cref="Simd"/> is this runtime's SIMD kernels on the host
/// (the default); the AutoGrad.Gpu package adds ILGPU devices (its CPU accelerator and CUDA), so this
/// assembly does not depend on ILGPU. A device may hold native resources: dispose the ones you create.
/// </summary>
public abstract class Device : IDisposable
{
    /// <summary>The SIMD kernels on this CPU: the model's own <see cref="ITrainableModel.LossAndGradient"/> and <see cref="Optimizer.Step"/>.</summary>
    public static Device Simd { get; } = new SimdDevice();

    /// <summary>The name the command line and summaries use: <c>cpu</c> for <see cref="Simd"/>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Prepares training of <paramref name="model"/> by <paramref name="optimizer"/> on this device: copies the
    /// parameters and the optimizer's state there. Dispose the session when training ends.
    /// </summary>
    /// <exception cref="NotSupportedException">The device cannot run this kind of model, layer or optimizer; the message names it.</exception>
    public abstract TrainingSession Open(ITrainableModel model, Optimizer optimizer);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device's resources (nothing for <see cref="Simd"/>).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
