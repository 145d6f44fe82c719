using System.Runtime.CompilerServices;
using AutoGrad.Differentiation;
using AutoGrad.Kernels;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;

namespace AutoGrad.NN;

/// <summary>
/// Layers applied in order, ending in logits trained with softmax cross-entropy, like
/// <c>torch.nn.Sequential</c> or Keras' <c>Sequential</c>. The backward pass calls each
/// layer's generated pullback in reverse order, except for <see cref="Dense"/> layers, which
/// write their gradients (<see cref="Dense.WriteGradients"/>), and ReLU activations, which write
/// theirs with <see cref="ActivationKernels.ReluBackward{T}"/>: the same values without clearing
/// buffers and adding into them.
/// </summary>
public sealed class Sequential : ITrainableModel
{
    private readonly Layer[] _layers;
    private readonly int[] _offsets;
    private readonly float[] _parameters;
    private float[][] _activations = [];
    private float[][] _adjoints = [];
    private readonly ForwardRecord _record = new();
    private int _capacity;
    private int _batch;

    /// <summary>Chains the layers; each layer's input size must match the previous layer's output size.</summary>
    public Sequential(params Layer[] layers)
    {
        if (layers.Length == 0) throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        for (int i = 1; i < layers.Length; i++)
        {
            if (layers[i].InputSize != layers[i - 1].OutputSize)
                throw new ArgumentException($"Layer {i} takes {layers[i].InputSize} inputs but layer {i - 1} produces {layers[i - 1].OutputSize}.", nameof(layers));
        }
        _layers = layers;
        layers[0].NeedsInputGradient = false; // the first layer's input is data
        _offsets = new int[layers.Length + 1];
        for (int i = 0; i < layers.Length; i++) _offsets[i + 1] = _offsets[i] + layers[i].ParameterCount;
        _parameters = new float[_offsets[^1]];
    }

    /// <summary>A multilayer perceptron: Dense layers of the given sizes with an activation between them.</summary>
    public static Sequential Perceptron(int inputs, IReadOnlyList<int> hidden, int classes, ActivationKind activation = ActivationKind.Relu,
        Initialization initialization = Initialization.UniformFanIn, bool bias = true)
    {
        var layers = new List<Layer>();
        var width = inputs;
        foreach (var size in hidden)
        {
            layers.Add(new Dense(width, size, bias, initialization));
            layers.Add(new Activation(size, activation));
            width = size;
        }
        layers.Add(new Dense(width, classes, bias, initialization));
        return new Sequential(layers.ToArray());
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc />
    public int InputSize => _layers[0].InputSize;

    /// <inheritdoc />
    public int OutputSize => _layers[^1].OutputSize;

    /// <inheritdoc />
    public Span<float> Parameters => _parameters;

    /// <summary>Initialises every layer's parameters from a seeded generator.</summary>
    public Sequential Initialize(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < _layers.Length; i++) _layers[i].Initialize(LayerParameters(_parameters, i), random);
        return this;
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits)
    {
        // The recording forward pass takes its buffers from a pool; clearing the record returns them.
        _record.Clear();
        Forward(inputs, batchSize, _record);
        _record.Clear();
        Activations(_layers.Length - 1).CopyTo(logits);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
    {
        if (gradient.Length != _parameters.Length)
            throw new ArgumentException($"The gradient has {gradient.Length} elements but the model has {_parameters.Length} parameters.", nameof(gradient));
        _record.Clear();
        Forward(inputs, batchSize, _record);

        var dlogits = Adjoints(_layers.Length - 1);
        var loss = Losses.SparseSoftmaxCrossEntropyGradient(Activations(_layers.Length - 1), labels, batchSize, OutputSize, dlogits);
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            var x = i == 0 ? inputs[..(batchSize * InputSize)] : Activations(i - 1);
            // The first layer's input is data: nobody needs its gradient.
            var dx = i == 0 ? default : Adjoints(i - 1);
            var dparameters = LayerParameters(gradient, i);
            switch (_layers[i])
            {
                case Dense dense:
                    dense.WriteGradients(x, Adjoints(i), dx, LayerParameters(_parameters, i), dparameters, batchSize);
                    break;
                case Activation { Kind: ActivationKind.Relu }:
                    if (i > 0) ActivationKernels.ReluBackward(x, Adjoints(i), dx);
                    break;
                default:
                    // The generated pullbacks add into the gradients, so they start at zero.
                    dx.Clear();
                    dparameters.Clear();
                    _layers[i].Backward(LayerParameters(_parameters, i), x, Activations(i), Adjoints(i), dx, dparameters, batchSize, _record);
                    break;
            }
        }
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Forward(ReadOnlySpan<float> inputs, int batchSize, ForwardRecord record)
    {
        if (inputs.Length < batchSize * InputSize)
            throw new ArgumentException($"{batchSize} samples need {batchSize * InputSize} inputs but {inputs.Length} were given.", nameof(inputs));
        EnsureBuffers(batchSize);
        for (int i = 0; i < _layers.Length; i++)
        {
            ReadOnlySpan<float> x = i == 0 ? inputs[..(batchSize * InputSize)] : Activations(i - 1);
            // A Dense layer's gradients need only its input and output adjoint, and a ReLU's only its input: nothing to record.
            if (_layers[i] is Dense dense) dense.ForwardUnrecorded(LayerParameters(_parameters, i), x, Activations(i), batchSize);
            else _layers[i].Forward(LayerParameters(_parameters, i), x, Activations(i), batchSize, _layers[i] is Activation { Kind: ActivationKind.Relu } ? null : record);
        }
    }

    /// <summary>Activation and adjoint buffers for the batch; they grow to the largest batch seen and are then reused.</summary>
    private void EnsureBuffers(int batchSize)
    {
        _batch = batchSize;
        if (batchSize > _capacity) Grow(batchSize); // out of line: its lambdas' closure would otherwise be allocated on every call
    }

    private void Grow(int batchSize)
    {
        _activations = _layers.Select(l => new float[batchSize * l.OutputSize]).ToArray();
        _adjoints = _layers.Select(l => new float[batchSize * l.OutputSize]).ToArray();
        _capacity = batchSize;
    }

    private Span<float> Activations(int layer) => _activations[layer].AsSpan(0, _batch * _layers[layer].OutputSize);

    private Span<float> Adjoints(int layer) => _adjoints[layer].AsSpan(0, _batch * _layers[layer].OutputSize);

    private Span<float> LayerParameters(Span<float> all, int layer) => all[_offsets[layer].._offsets[layer + 1]];
}
