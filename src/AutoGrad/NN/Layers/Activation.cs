using AutoGrad.Differentiation;
using AutoGrad.NN.Functional;

namespace AutoGrad.NN.Layers;

/// <summary>The element-wise activation functions a layer can apply.</summary>
public enum ActivationKind
{
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>x, or slope · x below zero.</summary>
    LeakyRelu,
    /// <summary>x, or |slope · x| below zero.</summary>
    AbsoluteLeakyRelu,
    /// <summary>A leaky ReLU whose slope is a trained parameter.</summary>
    ParametricRelu,
    /// <summary>x, or alpha (e^x - 1) below zero.</summary>
    Elu,
    /// <summary>Self-normalising scaled ELU.</summary>
    Selu,
    /// <summary>Gaussian error linear unit (tanh approximation).</summary>
    Gelu,
    /// <summary>x · sigmoid(x).</summary>
    Swish,
    /// <summary>x · tanh(softplus(x)).</summary>
    Mish,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
}

/// <summary>An element-wise activation; <see cref="ActivationKind.ParametricRelu"/> owns one parameter, its slope.</summary>
public sealed class Activation(int size, ActivationKind kind, float parameter = 0.01f) : Layer
{
    /// <summary>The function applied.</summary>
    public ActivationKind Kind => kind;

    /// <summary>The fixed slope of the leaky ReLUs, the alpha of ELU, the initial slope of the parametric ReLU; unused by the others.</summary>
    public float Parameter => parameter;

    /// <inheritdoc />
    public override int InputSize => size;

    /// <inheritdoc />
    public override int OutputSize => size;

    /// <inheritdoc />
    public override int ParameterCount => kind == ActivationKind.ParametricRelu ? 1 : 0;

    /// <inheritdoc />
    public override void Initialize(Span<float> parameters, Random random)
    {
        if (kind == ActivationKind.ParametricRelu) parameters[0] = parameter;
    }

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, ForwardRecord? record = null)
    {
        if (record is not null)
        {
            ForwardRecorded(parameters, x, y, record);
            return;
        }
        switch (kind)
        {
            case ActivationKind.Sigmoid: Activations.Sigmoid(x, y); break;
            case ActivationKind.Tanh: Activations.Tanh(x, y); break;
            case ActivationKind.Relu: Activations.Relu(x, y); break;
            case ActivationKind.LeakyRelu: Activations.LeakyRelu(x, y, parameter); break;
            case ActivationKind.AbsoluteLeakyRelu: Activations.AbsoluteLeakyRelu(x, y, parameter); break;
            case ActivationKind.ParametricRelu: Activations.ParametricRelu(x, parameters[0], y); break;
            case ActivationKind.Elu: Activations.Elu(x, y, parameter); break;
            case ActivationKind.Selu: Activations.Selu(x, y); break;
            case ActivationKind.Gelu: Activations.Gelu(x, y); break;
            case ActivationKind.Swish: Activations.Swish(x, y); break;
            case ActivationKind.Mish: Activations.Mish(x, y); break;
            case ActivationKind.Relu6: Activations.Relu6(x, y); break;
        }
    }

    private void ForwardRecorded(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, ForwardRecord record)
    {
        switch (kind)
        {
            case ActivationKind.Sigmoid: Activations.SigmoidForward(x, y, record); break;
            case ActivationKind.Tanh: Activations.TanhForward(x, y, record); break;
            case ActivationKind.Relu: Activations.ReluForward(x, y, record); break;
            case ActivationKind.LeakyRelu: Activations.LeakyReluForward(x, y, parameter, record); break;
            case ActivationKind.AbsoluteLeakyRelu: Activations.AbsoluteLeakyReluForward(x, y, parameter, record); break;
            case ActivationKind.ParametricRelu: Activations.ParametricReluForward(x, parameters[0], y, record); break;
            case ActivationKind.Elu: Activations.EluForward(x, y, parameter, record); break;
            case ActivationKind.Selu: Activations.SeluForward(x, y, record); break;
            case ActivationKind.Gelu: Activations.GeluForward(x, y, record); break;
            case ActivationKind.Swish: Activations.SwishForward(x, y, record); break;
            case ActivationKind.Mish: Activations.MishForward(x, y, record); break;
            case ActivationKind.Relu6: Activations.Relu6Forward(x, y, record); break;
        }
    }

    /// <inheritdoc />
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dparameters, int batch, ForwardRecord record)
    {
        if (dx.IsEmpty) dx = Scratch(x.Length);
        switch (kind)
        {
            case ActivationKind.Sigmoid: Activations.SigmoidReverse(x, y, record, dy, dx); break;
            case ActivationKind.Tanh: Activations.TanhReverse(x, y, record, dy, dx); break;
            case ActivationKind.Relu: Activations.ReluReverse(x, y, record, dy, dx); break;
            case ActivationKind.LeakyRelu: Activations.LeakyReluReverse(x, y, parameter, record, dy, dx); break;
            case ActivationKind.AbsoluteLeakyRelu: Activations.AbsoluteLeakyReluReverse(x, y, parameter, record, dy, dx); break;
            case ActivationKind.ParametricRelu: Activations.ParametricReluReverse(x, parameters[0], y, record, dy, dx, ref dparameters[0]); break;
            case ActivationKind.Elu: Activations.EluReverse(x, y, parameter, record, dy, dx); break;
            case ActivationKind.Selu: Activations.SeluReverse(x, y, record, dy, dx); break;
            case ActivationKind.Gelu: Activations.GeluReverse(x, y, record, dy, dx); break;
            case ActivationKind.Swish: Activations.SwishReverse(x, y, record, dy, dx); break;
            case ActivationKind.Mish: Activations.MishReverse(x, y, record, dy, dx); break;
            case ActivationKind.Relu6: Activations.Relu6Reverse(x, y, record, dy, dx); break;
        }
    }

    private float[] _scratch = [];

    private Span<float> Scratch(int length)
    {
        if (_scratch.Length != length) _scratch = new float[length];
        return _scratch;
    }
}
