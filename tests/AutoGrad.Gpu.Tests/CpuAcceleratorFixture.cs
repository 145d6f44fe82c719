using AutoGrad.Gpu;
using AutoGrad.Gpu.Kernels;

namespace AutoGrad.Gpu.Tests;

/// <summary>One ILGPU CPU accelerator for all tests, so each kernel is compiled once (60-300 ms each).</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    public CpuAcceleratorFixture() => TiledKernels = new KernelSet(Device.Accelerator, tiledGemm: true);

    public IlgpuDevice Device { get; } = IlgpuDevice.CreateCpu();

    /// <summary>The kernels with the tiled GEMM that GPUs run (the device itself uses the direct one on the CPU accelerator).</summary>
    internal KernelSet TiledKernels { get; }

    public void Dispose() => Device.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAcceleratorFixture>
{
    public const string Name = "ILGPU CPU accelerator";
}

/// <summary>Comparisons and inputs the tests share.</summary>
internal static class Compare
{
    /// <summary>
    /// Every element within 1e-4 relative to the largest magnitude in <paramref name="expected"/> (floats summed in
    /// another order differ by a few ulps of the sum's scale, not of each small element).
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = 0;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= tolerance * Math.Max(scale, 1e-6f), $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (scale {scale})");
        }
    }

    public static float[] Random(int length, int seed, float scale = 1)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }
}
