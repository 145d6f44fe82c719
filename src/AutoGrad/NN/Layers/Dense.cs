using AutoGrad.NN.Functional;

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
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        var weights = parameters[..(inputs * outputs)];
        if (bias) Functional.Layers.Dense(x, weights, parameters[(inputs * outputs)..], y, batch, inputs, outputs);
        else Functional.Layers.DenseWithoutBias(x, weights, y, batch, inputs, outputs);
    }

    /// <inheritdoc />
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dparameters, int batch)
    {
        var weights = parameters[..(inputs * outputs)];
        var dweights = dparameters[..(inputs * outputs)];
        if (bias)
        {
            var biases = parameters[(inputs * outputs)..];
            var dbiases = dparameters[(inputs * outputs)..];
            if (dx.IsEmpty) Functional.Layers.DenseOnInputsPullback(x, weights, biases, y, batch, inputs, outputs, dy, dweights, dbiases);
            else Functional.Layers.DensePullback(x, weights, biases, y, batch, inputs, outputs, dy, dx, dweights, dbiases);
        }
        else if (dx.IsEmpty) Functional.Layers.DenseWithoutBiasOnInputsPullback(x, weights, y, batch, inputs, outputs, dy, dweights);
        else Functional.Layers.DenseWithoutBiasPullback(x, weights, y, batch, inputs, outputs, dy, dx, dweights);
    }
}
