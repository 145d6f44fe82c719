using System.Numerics.Tensors;

namespace AutoGrad.NN;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction:
/// <c>m ← β₁ m + (1 − β₁) g</c>, <c>v ← β₂ v + (1 − β₂) g²</c>,
/// <c>θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)</c>, with t the step number from 1.
/// </summary>
public sealed class Adam : Optimizer
{
    internal const string KindName = "adam";

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly float[] _scratch;
    private readonly float[][] _state;

    /// <summary>Creates the optimizer with zero moment estimates.</summary>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="beta1">The decay β₁ of the first-moment (mean) estimate.</param>
    /// <param name="beta2">The decay β₂ of the second-moment (uncentred variance) estimate.</param>
    /// <param name="epsilon">ε, added to the denominator so it is never zero.</param>
    public Adam(int parameterCount, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(parameterCount, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must lie in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must lie in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
        _scratch = new float[parameterCount];
        _state = [_firstMoment, _secondMoment];
    }

    /// <summary>The decay β₁ of the first-moment estimate.</summary>
    public float Beta1 { get; }

    /// <summary>The decay β₂ of the second-moment estimate.</summary>
    public float Beta2 { get; }

    /// <summary>ε in the denominator.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>Two buffers: the first moment <c>m</c>, then the second moment <c>v</c>.</summary>
    public override IReadOnlyList<float[]> State => _state;

    /// <inheritdoc />
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        var scratch = _scratch.AsSpan();
        // m ← β₁ m + (1 − β₁) g  and  v ← β₂ v + (1 − β₂) g², each as one fused pass.
        TensorPrimitives.Lerp(gradient, _firstMoment, Beta1, _firstMoment);
        TensorPrimitives.Multiply(gradient, gradient, scratch);
        TensorPrimitives.Lerp(scratch, _secondMoment, Beta2, _secondMoment);

        double step = StepCount;
        float firstCorrection = (float)(1 - Math.Pow(Beta1, step));
        float secondCorrection = (float)(1 - Math.Pow(Beta2, step));
        // √(v / c₂) + ε, then θ ← θ − (η / c₁) m / that.
        TensorPrimitives.Multiply(_secondMoment, 1 / secondCorrection, scratch);
        TensorPrimitives.Sqrt(scratch, scratch);
        TensorPrimitives.Add(scratch, Epsilon, scratch);
        TensorPrimitives.Divide(_firstMoment, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -LearningRate / firstCorrection, parameters, parameters);
    }
}
