using System.Numerics;
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
    /// <remarks>On several cores, each core computes a share of the rows, as in <see cref="LossAndGradient"/>.</remarks>
    public void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckInputs(inputs, batchSize);
        EnsureBuffers(batchSize);
        int shards = ShardCount(batchSize);
        if (shards == 1)
        {
            // The recording forward pass takes its buffers from a pool; clearing the record returns them.
            _record.Clear();
            ForwardRows(inputs[..(batchSize * InputSize)], 0, batchSize, _record, trace: null, shard: 0);
            _record.Clear();
        }
        else
        {
            (_shardedStep ??= new ShardedStep(this)).Predict(inputs, batchSize, shards);
        }
        Activations(_layers.Length - 1).CopyTo(logits);
    }

    /// <inheritdoc />
    /// <remarks>
    /// On several cores a batch of at least twice <see cref="MinimumShardRows"/> rows is cut into
    /// one share of rows per core (<see cref="ShardCount"/>), which each core carries through every
    /// layer forward and back, writing its own gradient; the gradients are then summed, each core
    /// summing one share of the parameters. Cutting each product between the cores instead left
    /// half of every layer's output in the other core's cache, and the next layer's reads of it
    /// cost what the second core had saved. The sums of the shards' gradients round differently
    /// from one pass over the whole batch; the values depend only on the number of shards, not on
    /// which thread ran which.
    /// </remarks>
    public float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (gradient.Length != _parameters.Length)
            throw new ArgumentException($"The gradient has {gradient.Length} elements but the model has {_parameters.Length} parameters.", nameof(gradient));
        CheckInputs(inputs, batchSize);
        if (labels.Length < batchSize) throw new ArgumentException($"{batchSize} samples need {batchSize} labels but {labels.Length} were given.", nameof(labels));
        EnsureBuffers(batchSize);
        int shards = ShardCount(batchSize);
        if (shards == 1)
        {
            _record.Clear();
            return RowsLossAndGradient(inputs, labels, 0, batchSize, batchSize, gradient, _record, shard: 0) / batchSize;
        }
        return (_shardedStep ??= new ShardedStep(this)).Run(inputs, labels, batchSize, gradient, shards);
    }

    /// <summary>
    /// The fewest rows a core's share of a batch has. Summing the shares' gradients costs about as
    /// much as a few rows' forward and backward passes whatever the batch: the seed MLP's 59k
    /// parameters, about 5 us on two cores, against about 1.7 us per row on one.
    /// </summary>
    internal const int MinimumShardRows = 32;

    /// <summary>
    /// How many shares of rows <see cref="LossAndGradient"/> cuts a batch into, whatever the cores and the
    /// batch (at most one per row): set by the tests and benchmarks on their own model. Null: one per core,
    /// each of at least <see cref="MinimumShardRows"/> rows.
    /// </summary>
    internal int? Shards { get; set; }

    internal int ShardCount(int batchSize) => Shards is { } shards
        ? Math.Clamp(shards, 1, batchSize)
        : Math.Max(1, Math.Min(ForkJoin.Shared?.Threads ?? 1, batchSize / MinimumShardRows));

    private ShardedStep? _shardedStep;

    /// <summary>
    /// The forward pass, loss and backward pass over rows [<paramref name="start"/>, + <paramref name="rows"/>)
    /// of a batch of <paramref name="batchSize"/>: writes the gradient of the batch's mean loss from these rows
    /// into <paramref name="gradient"/> and returns their summed loss. The activations and adjoints are these
    /// rows of the model's buffers, so shards of one batch share them without overlapping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float RowsLossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int start, int rows, int batchSize, Span<float> gradient,
        ForwardRecord record, int shard)
    {
        var trace = PartTrace;
        trace?.Invoke(shard, 0);
        var data = inputs.Slice(start * InputSize, rows * InputSize);
        ForwardRows(data, start, rows, record, trace, shard);

        int last = _layers.Length - 1, part = _layers.Length + 1;
        float loss = Losses.SparseSoftmaxCrossEntropyGradientSum(Activations(last, start, rows), labels.Slice(start, rows), rows, OutputSize,
            Adjoints(last, start, rows), 1f / batchSize, start);
        trace?.Invoke(shard, part++);
        for (int i = last; i >= 0; i--)
        {
            var x = i == 0 ? data : Activations(i - 1, start, rows);
            // The first layer's input is data: nobody needs its gradient.
            var dx = i == 0 ? default : Adjoints(i - 1, start, rows);
            var dy = Adjoints(i, start, rows);
            var dparameters = LayerParameters(gradient, i);
            switch (_layers[i])
            {
                case Dense dense:
                    dense.WriteGradients(x, dy, dx, LayerParameters(_parameters, i), dparameters, rows);
                    break;
                case Activation { Kind: ActivationKind.Relu }:
                    if (i > 0) ActivationKernels.ReluBackward(x, dy, dx);
                    break;
                default:
                    // The generated pullbacks add into the gradients, so they start at zero.
                    dx.Clear();
                    dparameters.Clear();
                    _layers[i].Backward(LayerParameters(_parameters, i), x, Activations(i, start, rows), dy, dx, dparameters, rows, record);
                    break;
            }
            trace?.Invoke(shard, part++);
        }
        return loss;
    }

    /// <summary>
    /// For the benchmarks' step profile: called on each shard's thread with (shard, part) as the shard
    /// starts (part 0) and after each part, layer i's forward pass (part i + 1), the loss (layers + 1) and
    /// layer i's backward pass (2 · layers + 1 − i).
    /// </summary>
    internal Action<int, int>? PartTrace { get; set; }

    private void CheckInputs(ReadOnlySpan<float> inputs, int batchSize)
    {
        if (inputs.Length < batchSize * InputSize)
            throw new ArgumentException($"{batchSize} samples need {batchSize * InputSize} inputs but {inputs.Length} were given.", nameof(inputs));
    }

    /// <summary>The forward pass of rows [<paramref name="start"/>, + <paramref name="rows"/>), whose inputs are <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardRows(ReadOnlySpan<float> data, int start, int rows, ForwardRecord record, Action<int, int>? trace, int shard)
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            ReadOnlySpan<float> x = i == 0 ? data : Activations(i - 1, start, rows);
            // A Dense layer's gradients need only its input and output adjoint, and a ReLU's only its input: nothing to record.
            if (_layers[i] is Dense dense) dense.ForwardUnrecorded(LayerParameters(_parameters, i), x, Activations(i, start, rows), rows);
            else _layers[i].Forward(LayerParameters(_parameters, i), x, Activations(i, start, rows), rows, _layers[i] is Activation { Kind: ActivationKind.Relu } ? null : record);
            trace?.Invoke(shard, i + 1);
        }
    }

    /// <summary>
    /// <see cref="LossAndGradient"/> on several cores: a fork-join job whose blocks are first the
    /// shards (block s: rows s·batch/n to (s+1)·batch/n, shard 0 writing the caller's gradient and
    /// the others their own), then the sum, one <see cref="ForkJoin.ShareStart"/> share of the
    /// parameters per thread (the shares <see cref="Adam"/> updates in, on the same threads); and
    /// <see cref="Predict"/>'s forward pass alone, by the same shares of rows. One instance per
    /// model, reused: a step allocates nothing.
    /// </summary>
    private sealed unsafe class ShardedStep(Sequential model) : IBlockJob
    {
        private float[][] _gradients = [];
        private ForwardRecord[] _records = [];
        private float[] _losses = [];
        private float* _inputs, _gradient;
        private byte* _labels;
        private int _batch, _shards, _sumShares;
        private Round _round;

        private enum Round { Rows, Sum, Forward }

        public float Run(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batch, Span<float> gradient, int shards)
        {
            Prepare(shards);
            fixed (float* pi = inputs, pg = gradient)
            fixed (byte* pl = labels)
            {
                _inputs = pi;
                _gradient = pg;
                _labels = pl;
                _batch = batch;
                _shards = shards;
                try
                {
                    _round = Round.Rows;
                    RunAll(shards);
                    _round = Round.Sum;
                    _sumShares = ForkJoin.Shared?.Threads ?? 1;
                    RunAll(_sumShares);
                }
                finally
                {
                    _inputs = _gradient = null;
                    _labels = null;
                }
            }
            float loss = 0;
            for (int s = 0; s < shards; s++) loss += _losses[s];
            return loss / batch;
        }

        /// <summary>The forward pass alone, one block per share of rows, for <see cref="Predict"/>.</summary>
        public void Predict(ReadOnlySpan<float> inputs, int batch, int shards)
        {
            Prepare(shards);
            fixed (float* pi = inputs)
            {
                _inputs = pi;
                _batch = batch;
                _shards = shards;
                _round = Round.Forward;
                try
                {
                    RunAll(shards);
                }
                finally
                {
                    _inputs = null;
                }
            }
        }

        private void Prepare(int shards)
        {
            if (_losses.Length >= shards) return;
            _gradients = new float[shards - 1][];
            for (int s = 0; s < shards - 1; s++) _gradients[s] = new float[model._parameters.Length];
            _records = Enumerable.Range(0, shards).Select(_ => new ForwardRecord()).ToArray();
            _losses = new float[shards];
        }

        /// <summary>All blocks on the fork-join, or one after the other here when another caller holds it (or there is none).</summary>
        private void RunAll(int blocks)
        {
            if (ForkJoin.Shared?.TryRun(this, blocks) == true) return;
            for (int block = 0; block < blocks; block++) RunBlock(block);
        }

        public void RunBlock(int block)
        {
            int length = model._parameters.Length, inputSize = model.InputSize;
            if (_round == Round.Sum)
            {
                var sum = new Span<float>(_gradient, length);
                int start = ForkJoin.ShareStart(block, _sumShares, length), end = ForkJoin.ShareStart(block + 1, _sumShares, length);
                for (int s = 0; s < _shards - 1; s++) Add(sum[start..end], _gradients[s].AsSpan(start, end - start));
                return;
            }
            int first = (int)((long)_batch * block / _shards), rows = (int)((long)_batch * (block + 1) / _shards) - first;
            var record = _records[block];
            record.Clear();
            if (_round == Round.Forward)
            {
                model.ForwardRows(new ReadOnlySpan<float>(_inputs + (long)first * inputSize, rows * inputSize), first, rows, record, trace: null, shard: block);
                record.Clear();
                return;
            }
            var gradient = block == 0 ? new Span<float>(_gradient, length) : _gradients[block - 1];
            _losses[block] = model.RowsLossAndGradient(new ReadOnlySpan<float>(_inputs, _batch * inputSize), new ReadOnlySpan<byte>(_labels, _batch),
                first, rows, _batch, gradient, record, shard: block);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Add(Span<float> sum, ReadOnlySpan<float> addend)
        {
            int i = 0;
            for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(sum[i..]) + new Vector<float>(addend[i..])).CopyTo(sum[i..]);
            for (; i < sum.Length; i++) sum[i] += addend[i];
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

    private Span<float> Activations(int layer, int start, int rows) => _activations[layer].AsSpan(start * _layers[layer].OutputSize, rows * _layers[layer].OutputSize);

    private Span<float> Adjoints(int layer, int start, int rows) => _adjoints[layer].AsSpan(start * _layers[layer].OutputSize, rows * _layers[layer].OutputSize);

    private Span<float> LayerParameters(Span<float> all, int layer) => all[_offsets[layer].._offsets[layer + 1]];
}
