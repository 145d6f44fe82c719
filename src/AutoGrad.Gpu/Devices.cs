using AutoGrad.NN;

namespace AutoGrad.Gpu;

/// <summary>Devices by the names the command line uses.</summary>
public static class Devices
{
    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "ilgpu-cpu", "cuda", "auto"];

    /// <summary>
    /// <c>cpu</c>: the SIMD runtime on the host; <c>ilgpu-cpu</c>: ILGPU's CPU accelerator; <c>cuda</c>: ILGPU on the
    /// first CUDA GPU; <c>auto</c>: CUDA when present, otherwise <c>cpu</c>. The caller disposes the device.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these, or it is <c>cuda</c> and there is no CUDA GPU.</exception>
    public static Device FromName(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => Device.Simd,
        "ilgpu-cpu" => IlgpuDevice.CreateCpu(),
        "cuda" => IlgpuDevice.IsCudaAvailable()
            ? IlgpuDevice.CreateCuda()
            : throw new ArgumentException("There is no CUDA GPU here (ILGPU needs an NVIDIA GPU and its driver); use --device cpu, ilgpu-cpu or auto.", nameof(name)),
        "auto" => IlgpuDevice.IsCudaAvailable() ? IlgpuDevice.CreateCuda() : Device.Simd,
        _ => throw new ArgumentException($"Unknown device '{name}'; expected {string.Join(", ", Names)}.", nameof(name)),
    };
}
