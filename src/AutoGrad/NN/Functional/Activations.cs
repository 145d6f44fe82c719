namespace AutoGrad.NN.Functional;

/// <summary>
/// Element-wise activations as [Differentiable] loops; their pullbacks are generated. Each maps
/// <c>x</c> to <c>y</c> of the same length.
/// </summary>
public static partial class Activations
{
    private const float SeluAlpha = 1.6732632423543772f;
    private const float SeluScale = 1.0507009873554805f;

    /// <summary>The logistic function 1 / (1 + e^-x).</summary>
    [Differentiable]
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = 1 / (1 + MathF.Exp(-x[i]));
    }

    /// <summary>The hyperbolic tangent.</summary>
    [Differentiable]
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <summary>max(x, 0), through the SIMD element-wise primitive.</summary>
    [Differentiable]
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => Primitives.Relu(x, y);

    /// <summary>x for x &gt; 0, slope · x otherwise.</summary>
    [Differentiable]
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, [NoGradient] float slope)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>Absolute leaky ReLU (ALReLU): x for x &gt; 0, |slope · x| otherwise.</summary>
    [Differentiable]
    public static void AbsoluteLeakyRelu(ReadOnlySpan<float> x, Span<float> y, [NoGradient] float slope)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : MathF.Abs(slope * x[i]);
    }

    /// <summary>Parametric ReLU: a leaky ReLU whose slope is learned (its gradient is generated too).</summary>
    [Differentiable]
    public static void ParametricRelu(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>Exponential linear unit: x for x &gt; 0, alpha · (e^x - 1) otherwise.</summary>
    [Differentiable]
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, [NoGradient] float alpha)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1);
    }

    /// <summary>Scaled ELU with the self-normalising constants of Klambauer et al.</summary>
    [Differentiable]
    public static void Selu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = SeluScale * (x[i] > 0 ? x[i] : SeluAlpha * (MathF.Exp(x[i]) - 1));
    }

    /// <summary>GELU, tanh approximation: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).</summary>
    [Differentiable]
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1 + MathF.Tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
        }
    }

    /// <summary>Swish (SiLU): x · sigmoid(x).</summary>
    [Differentiable]
    public static void Swish(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + MathF.Exp(-x[i]));
    }

    /// <summary>Mish: x · tanh(softplus(x)), with softplus computed without overflow.</summary>
    [Differentiable]
    public static void Mish(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            float softplus = v > 20 ? v : MathF.Log(1 + MathF.Exp(v));
            y[i] = v * MathF.Tanh(softplus);
        }
    }

    /// <summary>min(max(x, 0), 6).</summary>
    [Differentiable]
    public static void Relu6(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Min(MathF.Max(x[i], 0), 6);
    }

    /// <summary>Row-wise softmax over a batch × classes matrix.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rows, int columns) =>
        Primitives.Softmax(x, y, rows, columns);
}
