using System.Numerics.Tensors;

namespace AutoGrad.NN;

/// <summary>
/// Vario-Eta (Neuneier and Zimmermann, "How to Train Neural Networks", 1998): every parameter
/// gets its own step size, the learning rate divided by the standard deviation of its
/// gradient, so parameters whose gradients are consistently small still move and noisy ones
/// are damped: <c>θᵢ ← θᵢ − η gᵢ / (σᵢ + ε)</c>.
/// </summary>
/// <remarks>
/// The original estimates σᵢ over the patterns of a batch; here, so that it works for any batch
/// size including 1, σᵢ² is an exponentially weighted running variance of the gradient across
/// steps (West's update): <c>δ = g − μ</c>, <c>μ ← μ + (1 − β) δ</c>,
/// <c>s ← β (s + (1 − β) δ²)</c>, and like Adam's moments it is bias-corrected,
/// <c>σ² = s / (1 − βᵗ)</c>, so the first steps are not inflated by the zero start.
/// </remarks>
public sealed class VarioEta : Optimizer
{
    internal const string KindName = "vario-eta";

    private readonly float[] _mean;
    private readonly float[] _variance;
    private readonly float[] _scratch;
    private readonly float[][] _state;

    /// <summary>Creates the optimizer with zero running mean and variance.</summary>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="decay">The decay β of the running mean and variance, in [0, 1).</param>
    /// <param name="epsilon">ε, added to σ so a constant gradient does not divide by zero.</param>
    public VarioEta(int parameterCount, float learningRate, float decay = 0.99f, float epsilon = 1e-6f) : base(parameterCount, learningRate)
    {
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must lie in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        Decay = decay;
        Epsilon = epsilon;
        _mean = new float[parameterCount];
        _variance = new float[parameterCount];
        _scratch = new float[parameterCount];
        _state = [_mean, _variance];
    }

    /// <summary>The decay β of the running mean and variance of the gradient.</summary>
    public float Decay { get; }

    /// <summary>ε added to the standard deviation.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>Two buffers: the running mean <c>μ</c> of the gradient, then its (uncorrected) running variance <c>s</c>.</summary>
    public override IReadOnlyList<float[]> State => _state;

    /// <inheritdoc />
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        var delta = _scratch.AsSpan();
        TensorPrimitives.Subtract(gradient, _mean, delta);
        TensorPrimitives.MultiplyAdd(delta, 1 - Decay, _mean, _mean);
        // s ← β s + β (1 − β) δ²
        TensorPrimitives.Multiply(delta, delta, delta);
        TensorPrimitives.Multiply(delta, Decay * (1 - Decay), delta);
        TensorPrimitives.MultiplyAdd(_variance, Decay, delta, _variance);
        // Both averages of a gradient that stays zero decay into subnormals, which are slow.
        FlushSubnormals(_mean);
        FlushSubnormals(_variance);

        float correction = (float)(1 - Math.Pow(Decay, StepCount));
        var denominator = _scratch.AsSpan();
        TensorPrimitives.Multiply(_variance, 1 / correction, denominator);
        TensorPrimitives.Sqrt(denominator, denominator);
        TensorPrimitives.Add(denominator, Epsilon, denominator);
        TensorPrimitives.Divide(gradient, denominator, denominator);
        TensorPrimitives.MultiplyAdd(denominator, -LearningRate, parameters, parameters);
    }
}
