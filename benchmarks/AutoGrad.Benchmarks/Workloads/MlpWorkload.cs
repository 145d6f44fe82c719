using AutoGrad.Data;
using AutoGrad.NN;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;
using AutoGrad.Tape;

namespace AutoGrad.Benchmarks.Workloads;

/// <summary>
/// The seed MLP 784-64-64-64-10 (ReLU, softmax cross-entropy on the logits) on the first
/// <see cref="SampleCount"/> images of the embedded MNIST set's training split (<c>data/mnist10k</c>,
/// pixels / 255), as bench.py's <c>mlp</c> group: the same images and labels in the same order on
/// both sides. Real digits rather than random pixels and labels, on which the network dies within a
/// few hundred Adam steps (most ReLUs never fire again, most gradients are exactly zero), on either side.
/// Everything here reuses its buffers, so a warmed-up call allocates only what the library does.
/// </summary>
public sealed class MlpWorkload
{
    /// <summary>Pixels per image.</summary>
    public const int Inputs = 784;

    /// <summary>Classes.</summary>
    public const int Classes = 10;

    /// <summary>Hidden layer widths.</summary>
    public static readonly int[] Hidden = [64, 64, 64];

    /// <summary>The Adam step's batches of 256, cycled over: all of the embedded training split's 8,000 images that fill whole batches.</summary>
    public const int AdamBatches = 31;

    /// <summary>Samples the loss workloads and the Adam step cycle over, as bench.py.</summary>
    public const int SampleCount = 256 * AdamBatches;

    /// <summary>The single samples the SGD step cycles over, as bench.py.</summary>
    public const int SgdSamples = 1024;

    /// <summary>Where the benchmark project's build copies the embedded MNIST set (see the .csproj).</summary>
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist10k");

    private readonly float[] _images;
    private readonly byte[] _labels;
    private readonly double[] _imagesDouble;
    private readonly int[] _labelsInt;
    private readonly Sequential _model;
    private readonly float[] _gradient;
    private float[] _logits = [];
    private float[] _targets = [];
    private readonly GradientTape _tape = new(1 << 16);
    private readonly double[] _parametersDouble;
    private readonly double[] _tapeGradient;
    private readonly Dense[] _dense;
    private readonly int[] _denseOffsets;

    /// <summary>Loads the data and makes the model (initialised with seed 5).</summary>
    public MlpWorkload()
    {
        LabeledImages train = MnistDataSet.Load(DataDirectory, MnistDataSet.SmallMnistPrefix, Classes).Train;
        _images = train.Images.Pixels[..(SampleCount * Inputs)];
        _labels = train.Labels[..SampleCount];
        _imagesDouble = Array.ConvertAll(_images, v => (double)v);
        _labelsInt = Array.ConvertAll(_labels, v => (int)v);

        _model = NewModel(5);
        _gradient = new float[_model.Parameters.Length];
        _parametersDouble = new double[_model.Parameters.Length];
        _tapeGradient = new double[_model.Parameters.Length];
        var dense = new List<Dense>();
        var offsets = new List<int>();
        int offset = 0;
        foreach (var layer in _model.Layers)
        {
            if (layer is Dense d)
            {
                dense.Add(d);
                offsets.Add(offset);
            }
            offset += layer.ParameterCount;
        }
        _dense = dense.ToArray();
        _denseOffsets = offsets.ToArray();
        SyncTapeParameters();
    }

    /// <summary>A fresh seed MLP, initialised from <paramref name="seed"/>.</summary>
    public static Sequential NewModel(int seed) => Sequential.Perceptron(Inputs, Hidden, Classes, ActivationKind.Relu).Initialize(seed);

    /// <summary>The model the loss workloads use.</summary>
    public Sequential Model => _model;

    /// <summary>The generated gradient of the last <see cref="Generated"/> call.</summary>
    public ReadOnlySpan<float> Gradient => _gradient;

    /// <summary>The tape gradient of the last <see cref="Tape"/> call.</summary>
    public ReadOnlySpan<double> TapeGradient => _tapeGradient;

    /// <summary>The training images, row-major.</summary>
    public ReadOnlySpan<float> Images => _images;

    /// <summary>The training labels.</summary>
    public ReadOnlySpan<byte> Labels => _labels;

    /// <summary>Images of samples [start, start + batch).</summary>
    public ReadOnlySpan<float> ImageBatch(int start, int batch) => _images.AsSpan(start * Inputs, batch * Inputs);

    /// <summary>Labels of samples [start, start + batch).</summary>
    public ReadOnlySpan<byte> LabelBatch(int start, int batch) => _labels.AsSpan(start, batch);

    /// <summary>The primal: forward pass (no record) and the mean softmax cross-entropy, through the library's <c>Predict</c> and <c>Losses.SoftmaxCrossEntropy</c>.</summary>
    public double Primal(int start, int batch)
    {
        if (_logits.Length < batch * Classes)
        {
            _logits = new float[batch * Classes];
            _targets = new float[batch * Classes];
        }
        var logits = _logits.AsSpan(0, batch * Classes);
        var targets = _targets.AsSpan(0, batch * Classes);
        _model.Predict(ImageBatch(start, batch), batch, logits);
        targets.Clear();
        for (int r = 0; r < batch; r++) targets[r * Classes + _labels[start + r]] = 1;
        return Losses.SoftmaxCrossEntropy(logits, targets, batch, Classes);
    }

    /// <summary>The generated gradient: <see cref="Sequential.LossAndGradient"/>.</summary>
    public double Generated(int start, int batch) =>
        _model.LossAndGradient(ImageBatch(start, batch), LabelBatch(start, batch), batch, _gradient);

    /// <summary>Copies the model's float parameters into the tape's double copy (outside any timing).</summary>
    public void SyncTapeParameters()
    {
        var p = _model.Parameters;
        for (int i = 0; i < p.Length; i++) _parametersDouble[i] = p[i];
    }

    /// <summary>
    /// The same loss and gradient on the operator-overloading tape, in double (the tape has no
    /// float): its matrix records <c>MatMulTransposed</c>, <c>AddRowVector</c>, <c>Relu</c> and
    /// <c>SoftmaxCrossEntropy</c>, one tape reset and reused every call. Each call copies the
    /// parameters and the batch into the tape (as recording variables on a tape does).
    /// </summary>
    public double Tape(int start, int batch)
    {
        _tape.Reset();
        using (_tape.Record())
        {
            var x = _tape.Constant(_imagesDouble.AsSpan(start * Inputs, batch * Inputs), batch, Inputs);
            Span<VarMatrix> weights = stackalloc VarMatrix[4];
            Span<VarVector> biases = stackalloc VarVector[4];
            for (int l = 0; l < _dense.Length; l++)
            {
                int n = _dense[l].OutputSize, k = _dense[l].InputSize, o = _denseOffsets[l];
                weights[l] = _tape.Variable(_parametersDouble.AsSpan(o, n * k), n, k);
                biases[l] = _tape.Variable(_parametersDouble.AsSpan(o + n * k, n));
            }
            VarMatrix h = x;
            for (int l = 0; l < _dense.Length; l++)
            {
                h = TapeMath.AddRowVector(TapeMath.MatMulTransposed(h, weights[l]), biases[l]);
                if (l < _dense.Length - 1) h = TapeMath.Relu(h);
            }
            Var loss = TapeMath.SoftmaxCrossEntropy(h, _labelsInt.AsSpan(start, batch));
            _tape.Backward(loss);
            for (int l = 0; l < _dense.Length; l++)
            {
                int n = _dense[l].OutputSize, k = _dense[l].InputSize, o = _denseOffsets[l];
                _tape.Adjoints(weights[l]).CopyTo(_tapeGradient.AsSpan(o, n * k));
                _tape.Adjoints(biases[l]).CopyTo(_tapeGradient.AsSpan(o + n * k, n));
            }
            return loss.Value;
        }
    }

    /// <summary>
    /// Runs both gradients at one batch and returns "ok" when they agree (largest difference at most
    /// 1e-4 of the largest gradient element, and the losses to 1e-4 relative: float against double).
    /// </summary>
    public string Check(int batch)
    {
        SyncTapeParameters();
        double generated = Generated(0, batch);
        double tape = Tape(0, batch);
        double primal = Primal(0, batch);
        double scale = 0, worst = 0;
        for (int i = 0; i < _gradient.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(_tapeGradient[i]));
            worst = Math.Max(worst, Math.Abs(_gradient[i] - _tapeGradient[i]));
        }
        bool ok = worst <= 1e-4 * scale && Math.Abs(generated - tape) <= 1e-4 * Math.Abs(tape) && Math.Abs(primal - tape) <= 1e-4 * Math.Abs(tape);
        return ok ? "ok" : $"FAIL (max |gen - tape| = {worst:g3}, max |g| = {scale:g3}, loss gen {generated:g7} tape {tape:g7} primal {primal:g7})";
    }

    /// <summary>The timed Adam step, as bench.py's <c>mlp_adam_step</c>: lr 0.003, batch 256, cycling over <see cref="AdamBatches"/> batches; a fresh model from <paramref name="seed"/>.</summary>
    public TrainingStep NewAdamStep(int seed)
    {
        var model = NewModel(seed);
        return NewTrainingStep(new Adam(model.Parameters.Length, 0.003f), model, 256, AdamBatches);
    }

    /// <summary>The timed SGD step, as bench.py's <c>mlp_sgd_step</c>: lr 0.01, batch 1, cycling over <see cref="SgdSamples"/> samples; a fresh model from <paramref name="seed"/>.</summary>
    public TrainingStep NewSgdStep(int seed)
    {
        var model = NewModel(seed);
        return NewTrainingStep(new Sgd(model.Parameters.Length, 0.01f), model, 1, SgdSamples);
    }

    /// <summary>A training step closure: Adam or SGD on a fresh model, cycling over <paramref name="batches"/> batches of <paramref name="batch"/>.</summary>
    public TrainingStep NewTrainingStep(Optimizer optimizer, Sequential model, int batch, int batches) =>
        new(this, model, optimizer, batch, batches);

    /// <summary>zero-grad + forward + backward + optimiser step, the unit bench.py times.</summary>
    public sealed class TrainingStep
    {
        private readonly MlpWorkload _data;
        private readonly Sequential _model;
        private readonly Optimizer _optimizer;
        private readonly float[] _gradient;
        private readonly int _batch, _batches;
        private int _next;

        internal TrainingStep(MlpWorkload data, Sequential model, Optimizer optimizer, int batch, int batches)
        {
            _data = data;
            _model = model;
            _optimizer = optimizer;
            _batch = batch;
            _batches = batches;
            _gradient = new float[model.Parameters.Length];
        }

        /// <summary>How many elements of the last step's gradient are exactly zero.</summary>
        public int ZeroGradients => _gradient.Count(g => g == 0);

        /// <summary>One step on the next batch; returns the loss before the step.</summary>
        public double Step()
        {
            int start = _next * _batch;
            _next = _next + 1 == _batches ? 0 : _next + 1;
            float loss = _model.LossAndGradient(_data.ImageBatch(start, _batch), _data.LabelBatch(start, _batch), _batch, _gradient);
            _optimizer.Step(_model.Parameters, _gradient);
            return loss;
        }
    }
}
