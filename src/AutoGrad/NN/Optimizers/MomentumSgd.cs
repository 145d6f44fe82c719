using System.Numerics.Tensors;

namespace AutoGrad.NN;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, in PyTorch's form:
/// <c>v ← μ v + g</c>, <c>θ ← θ − η v</c>.
/// </summary>
public sealed class MomentumSgd : Optimizer
{
    internal const string KindName = "momentum";

    private readonly float[] _velocity;
    private readonly float[][] _state;

    /// <summary>Creates the optimizer with zero velocity.</summary>
    /// <param name="parameterCount">The number of parameters.</param>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="momentum">The decay μ of the velocity, in [0, 1).</param>
    public MomentumSgd(int parameterCount, float learningRate, float momentum = 0.9f) : base(parameterCount, learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must lie in [0, 1).");
        Momentum = momentum;
        _velocity = new float[parameterCount];
        _state = [_velocity];
    }

    /// <summary>The decay μ of the velocity.</summary>
    public float Momentum { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>One buffer: the velocity <c>v</c>.</summary>
    public override IReadOnlyList<float[]> State => _state;

    /// <inheritdoc />
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        TensorPrimitives.MultiplyAdd(_velocity, Momentum, gradient, _velocity);
        FlushSubnormals(_velocity); // a velocity whose gradient stays zero decays into subnormals
        TensorPrimitives.MultiplyAdd(_velocity, -LearningRate, parameters, parameters);
    }
}
