using AutoGrad.Gpu.Activations;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Kernels;

/// <summary>
/// Element-wise and row/column kernels. Each is a grid-stride loop: a launch runs a fixed number of threads
/// (<c>stride</c>), each taking every stride-th element, because ILGPU's CPU accelerator pays
/// microseconds per thread and a GPU needs only enough threads to fill it.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary><c>y[r, c] += bias[c]</c> over a rows × columns matrix.</summary>
    public static void AddBias(Index1D index, ArrayView<float> y, ArrayView<float> bias, int length, int columns, int stride)
    {
        for (int i = index; i < length; i += stride) y[i] += bias[i % columns];
    }

    /// <summary><c>sums[c] = Σ_r x[r, c]</c>: a dense layer's bias gradient.</summary>
    public static void SumColumns(Index1D index, ArrayView<float> x, ArrayView<float> sums, int rows, int columns, int stride)
    {
        for (int c = index; c < columns; c += stride)
        {
            float sum = 0;
            for (int r = 0; r < rows; r++) sum += x[r * columns + c];
            sums[c] = sum;
        }
    }

    /// <summary><c>y = f(x)</c>.</summary>
    public static void Activate<TActivation>(Index1D index, ArrayView<float> x, ArrayView<float> y, float parameter, int length, int stride)
        where TActivation : struct, IKernelActivation
    {
        for (int i = index; i < length; i += stride) y[i] = default(TActivation).Value(x[i], parameter);
    }

    /// <summary><c>dx = dy · f'(x)</c>, f' through the activation's generated pullback.</summary>
    public static void ActivatePullback<TActivation>(Index1D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, float parameter, int length, int stride)
        where TActivation : struct, IKernelActivation
    {
        for (int i = index; i < length; i += stride) dx[i] = default(TActivation).Pullback(x[i], parameter, dy[i]);
    }

    /// <summary><c>target = source</c>.</summary>
    public static void Copy(Index1D index, ArrayView<float> source, ArrayView<float> target, int length, int stride)
    {
        for (int i = index; i < length; i += stride) target[i] = source[i];
    }
}
