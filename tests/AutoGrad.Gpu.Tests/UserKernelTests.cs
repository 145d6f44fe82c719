using System.Reflection;
using AutoGrad.Differentiation;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Tests;

/// <summary>A user's own activation, written once as a scalar [Differentiable] method (the README's example).</summary>
public static partial class UserActivations
{
    /// <summary>Softsign with a learnable-looking twist: x / (1 + |x|) + 0.1 · sin x.</summary>
    [Differentiable]
    public static float Wiggle(float x) => x / (1 + MathF.Abs(x)) + 0.1f * MathF.Sin(x);

    /// <summary>A loop-carried scalar whose reverse sweep needs a stack: not kernel-safe.</summary>
    [Differentiable]
    public static float Power(float x, int n)
    {
        float y = 1;
        for (int i = 0; i < n; i++) y = y * x + MathF.Sin(y);
        return y;
    }
}

/// <summary>The generated pullback of a user-written activation, called from a user-written ILGPU kernel.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class UserKernelTests(CpuAcceleratorFixture fixture)
{
    /// <summary>The user's kernel: dx = dy · Wiggle'(x) through the generated pullback, grid-stride.</summary>
    private static void WiggleBackward(Index1D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, int stride)
    {
        for (int i = index; i < x.Length; i += stride)
        {
            float d = 0;
            UserActivations.WigglePullback(x[i], dy[i], ref d);
            dx[i] = d;
        }
    }

    [Fact]
    public void A_user_activations_generated_pullback_runs_inside_a_kernel_and_matches_its_closed_form()
    {
        var accelerator = fixture.Device.Accelerator;
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(WiggleBackward);
        var x = Compare.Random(257, 21, scale: 5);
        var dy = Compare.Random(x.Length, 22);
        using var deviceX = accelerator.Allocate1D(x);
        using var deviceDy = accelerator.Allocate1D(dy);
        using var deviceDx = accelerator.Allocate1D<float>(x.Length);
        kernel(16, deviceX.View, deviceDy.View, deviceDx.View, 16);
        var dx = deviceDx.GetAsArray1D();

        var expected = x.Select((v, i) => dy[i] * (1 / ((1 + MathF.Abs(v)) * (1 + MathF.Abs(v))) + 0.1f * MathF.Cos(v))).ToArray();
        Compare.Close(expected, dx, "dy · Wiggle'(x)");
    }

    [Fact]
    public void The_generator_marks_scalar_pullbacks_without_pooled_state_kernel_safe_and_no_others()
    {
        static bool KernelSafe(Type type, string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.GetCustomAttribute<KernelSafeAttribute>() is not null;
        Assert.True(KernelSafe(typeof(UserActivations), nameof(UserActivations.WigglePullback)));
        Assert.False(KernelSafe(typeof(UserActivations), nameof(UserActivations.PowerPullback)));
        Assert.True(KernelSafe(typeof(Activations.KernelActivations), nameof(Activations.KernelActivations.MishPullback)));
        Assert.True(KernelSafe(typeof(Activations.KernelActivations), nameof(Activations.KernelActivations.SeluPullback)));
        // Span-based layers take pooled buffers and records: host only.
        Assert.False(KernelSafe(typeof(NN.Functional.Activations), nameof(NN.Functional.Activations.SigmoidPullback)));
    }
}
