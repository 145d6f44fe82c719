using System.Numerics.Tensors;

namespace AutoGrad.NN;

/// <summary>Plain gradient descent: <c>θ ← θ − η g</c>. With a full batch this is steepest descent; with batch size 1, pattern-by-pattern learning.</summary>
/// <param name="parameterCount">The number of parameters.</param>
/// <param name="learningRate">The step size η.</param>
public sealed class Sgd(int parameterCount, float learningRate) : Optimizer(parameterCount, learningRate)
{
    internal const string KindName = "sgd";

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>None: plain SGD has no state.</summary>
    public override IReadOnlyList<float[]> State => [];

    /// <inheritdoc />
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient) =>
        TensorPrimitives.MultiplyAdd(gradient, -LearningRate, parameters, parameters);
}
