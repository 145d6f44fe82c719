using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Kernels;

/// <summary>The optimizers' updates, element by element as in their host versions (AutoGrad.NN's Sgd, MomentumSgd, Adam, VarioEta).</summary>
internal static class OptimizerKernels
{
    /// <summary><c>θ ← θ − η g</c>.</summary>
    public static void Sgd(Index1D index, ArrayView<float> parameters, ArrayView<float> gradient, float rate, int length, int stride)
    {
        for (int i = index; i < length; i += stride) parameters[i] -= rate * gradient[i];
    }

    /// <summary><c>v ← μ v + g</c>, <c>θ ← θ − η v</c>.</summary>
    public static void Momentum(Index1D index, ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> velocity, float rate, float momentum, int length, int stride)
    {
        for (int i = index; i < length; i += stride)
        {
            float v = momentum * velocity[i] + gradient[i];
            velocity[i] = v;
            parameters[i] -= rate * v;
        }
    }

    /// <summary>
    /// <c>m ← β₁ m + (1 − β₁) g</c>, <c>v ← β₂ v + (1 − β₂) g²</c>, <c>θ ← θ − rate · m / (√(v · secondScale) + ε)</c>,
    /// with the bias corrections folded into rate = η / (1 − β₁ᵗ) and secondScale = 1 / (1 − β₂ᵗ).
    /// </summary>
    public static void Adam(Index1D index, ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> first, ArrayView<float> second,
        AdamStep step, int length, int stride)
    {
        for (int i = index; i < length; i += stride)
        {
            float g = gradient[i];
            float m = step.Beta1 * first[i] + (1 - step.Beta1) * g;
            float v = step.Beta2 * second[i] + (1 - step.Beta2) * g * g;
            first[i] = m;
            second[i] = v;
            parameters[i] -= step.Rate * m / (MathF.Sqrt(v * step.SecondScale) + step.Epsilon);
        }
    }

    /// <summary>
    /// Vario-Eta: <c>δ = g − μ</c>, <c>μ ← μ + (1 − β) δ</c>, <c>s ← β s + β (1 − β) δ²</c>,
    /// <c>θ ← θ − η g / (√(s / correction) + ε)</c> with correction = 1 − βᵗ.
    /// </summary>
    public static void VarioEta(Index1D index, ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> mean, ArrayView<float> variance,
        VarioEtaStep step, int length, int stride)
    {
        for (int i = index; i < length; i += stride)
        {
            float g = gradient[i];
            float delta = g - mean[i];
            mean[i] += (1 - step.Decay) * delta;
            float s = step.Decay * variance[i] + step.Decay * (1 - step.Decay) * delta * delta;
            variance[i] = s;
            parameters[i] -= step.Rate * g / (MathF.Sqrt(s / step.Correction) + step.Epsilon);
        }
    }
}

/// <summary>Adam's scalars for one step (a struct keeps the kernel's parameter list short).</summary>
internal readonly record struct AdamStep(float Rate, float SecondScale, float Beta1, float Beta2, float Epsilon);

/// <summary>Vario-Eta's scalars for one step.</summary>
internal readonly record struct VarioEtaStep(float Rate, float Decay, float Correction, float Epsilon);
