using AutoGrad.Differentiation;
using AutoGrad.Kernels;

namespace AutoGrad.NN.Layers;

/// <summary>A fully connected layer, <c>y = x · Wᵀ + b</c>, with W stored outputs × inputs as in PyTorch.</summary>
public sealed class Dense(int inputs, int outputs, bool bias = true, Initialization initialization = Initialization.UniformFanIn) : Layer
{
    /// <inheritdoc />
    public override int InputSize => inputs;

    /// <inheritdoc />
    public override int OutputSize => outputs;

    /// <summary>Whether the layer adds a bias vector.</summary>
    public bool HasBias => bias;

    /// <inheritdoc />
    public override int ParameterCount => inputs * outputs + (bias ? outputs : 0);

    /// <inheritdoc />
    public override void Initialize(Span<float> parameters, Random random)
    {
        Initializers.Fill(parameters[..(inputs * outputs)], initialization, inputs, outputs, random);
        if (bias) parameters[(inputs * outputs)..].Clear();
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, ForwardRecord? record = null)
    {
        var weights = parameters[..(inputs * outputs)];
        var biases = parameters[(inputs * outputs)..];
        if (record is null)
        {
            if (bias) Functional.Layers.Dense(x, weights, biases, y, batch, inputs, outputs);
            else Functional.Layers.DenseWithoutBias(x, weights, y, batch, inputs, outputs);
        }
        else if (!NeedsInputGradient)
        {
            if (bias) Functional.Layers.DenseOnInputsForward(x, weights, biases, y, batch, inputs, outputs, record);
            else Functional.Layers.DenseWithoutBiasOnInputsForward(x, weights, y, batch, inputs, outputs, record);
        }
        else if (bias) Functional.Layers.DenseForward(x, weights, biases, y, batch, inputs, outputs, record);
        else Functional.Layers.DenseWithoutBiasForward(x, weights, y, batch, inputs, outputs, record);
    }

    /// <summary>
    /// <see cref="Forward"/> without a record and without the generated code's temporary (the
    /// bias is added in place): all <see cref="WriteGradients"/> needs later is the input.
    /// </summary>
    internal void ForwardUnrecorded(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        MatMul.MultiplyTransposedB(x, parameters[..(inputs * outputs)], y, batch, inputs, outputs);
        if (bias) RowKernels.AddRowVector(y, parameters[(inputs * outputs)..], y, batch, outputs);
    }

    /// <summary>
    /// Writes (does not add) this layer's gradients: <c>dW = dyᵀ · x</c>, <c>db = Σ_rows dy</c> and,
    /// unless <paramref name="dx"/> is empty, <c>dx = dy · W</c>. These are what the generated
    /// pullback adds into zeroed buffers, without the zeroing, the copy of dy into a temporary
    /// and the reads of what is added to (at batch 1 clearing and adding into the 200 KB
    /// first-layer weight gradient cost more than the rest of the seed MLP's backward pass).
    /// <see cref="Sequential"/> uses it for every Dense layer after <see cref="ForwardUnrecorded"/>
    /// (the tests hold it to the generated pullback and to finite differences);
    /// <see cref="Backward"/> keeps the adding contract.
    /// </summary>
    internal void WriteGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> parameters, Span<float> dparameters, int batch)
    {
        MatMul.MultiplyTransposedA(dy, x, dparameters[..(inputs * outputs)], outputs, batch, inputs);
        if (bias) RowKernels.SumColumns(dy, dparameters[(inputs * outputs)..], batch, outputs);
        if (!dx.IsEmpty) MatMul.Multiply(dy, parameters[..(inputs * outputs)], dx, batch, outputs, inputs);
    }

    /// <inheritdoc />
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dparameters, int batch, ForwardRecord record)
    {
        var weights = parameters[..(inputs * outputs)];
        var dweights = dparameters[..(inputs * outputs)];
        if (bias)
        {
            var biases = parameters[(inputs * outputs)..];
            var dbiases = dparameters[(inputs * outputs)..];
            if (NeedsInputGradient) Functional.Layers.DenseReverse(x, weights, biases, y, batch, inputs, outputs, record, dy, dx, dweights, dbiases);
            else Functional.Layers.DenseOnInputsReverse(x, weights, biases, y, batch, inputs, outputs, record, dy, dweights, dbiases);
        }
        else if (NeedsInputGradient)
        {
            Functional.Layers.DenseWithoutBiasReverse(x, weights, y, batch, inputs, outputs, record, dy, dx, dweights);
        }
        else
        {
            Functional.Layers.DenseWithoutBiasOnInputsReverse(x, weights, y, batch, inputs, outputs, record, dy, dweights);
        }
    }
}
