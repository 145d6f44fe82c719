namespace AutoGrad.NN.Functional;

/// <summary>
/// Layers as [Differentiable] functions of their inputs and parameters over a batch of rows.
/// The generator writes each one's pullback (<c>DensePullback</c>, ...) from this code and the
/// derivative rules of the <see cref="Primitives"/> it calls.
/// </summary>
public static partial class Layers
{
    /// <summary><c>y = x · weightsᵀ + bias</c>: x is batch × inputs, weights is outputs × inputs, y is batch × outputs.</summary>
    [Differentiable]
    public static void Dense(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs)
    {
        float[] product = new float[batch * outputs];
        Primitives.MatMulTransposedB(x, weights, product, batch, inputs, outputs);
        Primitives.AddRowVector(product, bias, y, batch, outputs);
    }

    /// <summary><see cref="Dense"/> on the network's inputs, whose gradient nobody needs: its pullback skips computing it.</summary>
    [Differentiable]
    public static void DenseOnInputs([NoGradient] ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs)
    {
        float[] product = new float[batch * outputs];
        Primitives.MatMulTransposedB(x, weights, product, batch, inputs, outputs);
        Primitives.AddRowVector(product, bias, y, batch, outputs);
    }

    /// <summary><c>y = x · weightsᵀ</c>: a dense layer without bias.</summary>
    [Differentiable]
    public static void DenseWithoutBias(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<float> y, int batch, int inputs, int outputs) =>
        Primitives.MatMulTransposedB(x, weights, y, batch, inputs, outputs);

    /// <summary><see cref="DenseWithoutBias"/> on the network's inputs, whose gradient nobody needs.</summary>
    [Differentiable]
    public static void DenseWithoutBiasOnInputs([NoGradient] ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<float> y, int batch, int inputs, int outputs) =>
        Primitives.MatMulTransposedB(x, weights, y, batch, inputs, outputs);
}
