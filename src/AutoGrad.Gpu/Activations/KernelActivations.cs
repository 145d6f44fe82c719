namespace AutoGrad.Gpu.Activations;

/// <summary>
/// The activations as scalar [Differentiable] functions, written like their span versions in
/// AutoGrad.NN.Functional.Activations. Their generated pullbacks (<c>ReluPullback(x, seed, ref dx)</c>, ...)
/// are static, allocation-free methods over scalars, marked [KernelSafe], so the device's kernels call them:
/// the derivative on the accelerator comes from the same source as on the host.
/// </summary>
public static partial class KernelActivations
{
    private const float SeluAlpha = 1.6732632423543772f;
    private const float SeluScale = 1.0507009873554805f;

    /// <summary>1 / (1 + e^-x).</summary>
    [Differentiable]
    public static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>tanh x.</summary>
    [Differentiable]
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>max(x, 0), with derivative 0 at 0 as the SIMD kernel's.</summary>
    [Differentiable]
    public static float Relu(float x) => x > 0 ? x : 0;

    /// <summary>x for x &gt; 0, slope · x otherwise.</summary>
    [Differentiable]
    public static float LeakyRelu(float x, [NoGradient] float slope) => x > 0 ? x : slope * x;

    /// <summary>x for x &gt; 0, |slope · x| otherwise.</summary>
    [Differentiable]
    public static float AbsoluteLeakyRelu(float x, [NoGradient] float slope) => x > 0 ? x : MathF.Abs(slope * x);

    /// <summary>x for x &gt; 0, alpha · (e^x − 1) otherwise.</summary>
    [Differentiable]
    public static float Elu(float x, [NoGradient] float alpha) => x > 0 ? x : alpha * (MathF.Exp(x) - 1);

    /// <summary>Scaled ELU with the self-normalising constants.</summary>
    [Differentiable]
    public static float Selu(float x) => SeluScale * (x > 0 ? x : SeluAlpha * (MathF.Exp(x) - 1));

    /// <summary>GELU, tanh approximation.</summary>
    [Differentiable]
    public static float Gelu(float x) => 0.5f * x * (1 + MathF.Tanh(0.7978845608f * (x + 0.044715f * x * x * x)));

    /// <summary>x · sigmoid(x).</summary>
    [Differentiable]
    public static float Swish(float x) => x / (1 + MathF.Exp(-x));

    /// <summary>x · tanh(softplus(x)), softplus without overflow.</summary>
    [Differentiable]
    public static float Mish(float x)
    {
        float softplus = x > 20 ? x : MathF.Log(1 + MathF.Exp(x));
        return x * MathF.Tanh(softplus);
    }

    /// <summary>min(max(x, 0), 6).</summary>
    [Differentiable]
    public static float Relu6(float x) => MathF.Min(MathF.Max(x, 0), 6);
}
