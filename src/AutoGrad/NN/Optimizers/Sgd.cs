using System.Numerics;
using System.Runtime.CompilerServices;

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
    /// <remarks>
    /// A loop of its own, compiled fully optimised on first call: TensorPrimitives, not precompiled, ran
    /// as tier-0 code for the first seconds of a run on one core.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        float step = -LearningRate;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(step);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(gradient[i..]) * scale + new Vector<float>(parameters[i..])).CopyTo(parameters[i..]);
        }
        for (; i < parameters.Length; i++) parameters[i] = gradient[i] * step + parameters[i];
    }
}
