using AutoGrad.Differentiation;

namespace AutoGrad.NN.Layers;

/// <summary>
/// One stage of a <see cref="Sequential"/> model. Its forward pass is a [Differentiable]
/// function and its backward pass is that function's generated pullback.
/// </summary>
public abstract class Layer
{
    /// <summary>Features per sample coming in.</summary>
    public abstract int InputSize { get; }

    /// <summary>Features per sample going out.</summary>
    public abstract int OutputSize { get; }

    /// <summary>
    /// Whether <see cref="Backward"/> must compute the adjoint of the input; false for the first
    /// layer of a model, whose input is data. A model sets it before training.
    /// </summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>How many parameters the layer owns in the model's flat parameter vector.</summary>
    public virtual int ParameterCount => 0;

    /// <summary>Fills the layer's parameters with their initial values.</summary>
    public virtual void Initialize(Span<float> parameters, Random random)
    {
    }

    /// <summary>
    /// Computes <paramref name="y"/> (batch × <see cref="OutputSize"/>) from <paramref name="x"/>
    /// (batch × <see cref="InputSize"/>). With a <paramref name="record"/>, it also saves what
    /// <see cref="Backward"/> needs there, so the backward pass does not run the forward again.
    /// </summary>
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, ForwardRecord? record = null);

    /// <summary>
    /// After <see cref="Forward"/> with the same arguments and <paramref name="record"/>, given
    /// <paramref name="dy"/>, accumulates the adjoint of the input into <paramref name="dx"/>
    /// (empty when nobody needs it) and of the parameters into <paramref name="dparameters"/>.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dparameters, int batch, ForwardRecord record);
}
