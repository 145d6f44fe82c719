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
    /// <remarks>
    /// The two products are independent. When each is too small to be split between cores (see
    /// <see cref="ConcurrentFrom"/>), the fork-join runs them side by side instead, dx and dW
    /// each on one thread: the same calls as one after the other, so the same values. Inside a
    /// fork-join job (a core's share of <see cref="Sequential"/>'s batch) the workers are taken,
    /// and the two run one after the other, as the matrix products do.
    /// </remarks>
    internal void WriteGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> parameters, Span<float> dparameters, int batch)
    {
        long multiplyAdds = (long)batch * inputs * outputs;
        if (!dx.IsEmpty && multiplyAdds >= ConcurrentFrom && multiplyAdds < BlockedGemm<float>.ParallelThreshold && ForkJoin.Shared is { IsBusy: false } pool
            && (_concurrentGradients ??= new ConcurrentGradients(this)).TryRun(pool, x, dy, dx, parameters, dparameters, batch))
        {
            return;
        }
        WriteParameterGradients(x, dy, dparameters, batch);
        if (!dx.IsEmpty) WriteInputGradient(dy, dx, parameters, batch);
    }

    /// <summary>
    /// From this many multiply-adds per product (dW's and dx's are the same count),
    /// <see cref="WriteGradients"/> runs the two side by side on the fork-join. The seed MLP's
    /// hidden layers at batch 256 (2^20) and its output layer (about 2^17) qualify; below,
    /// a product takes about as long as a hand-over between cores. Settable for the tests
    /// (<see cref="long.MaxValue"/>: never).
    /// </summary>
    internal static long ConcurrentFrom { get; set; } = 1L << 17;

    private ConcurrentGradients? _concurrentGradients;

    private void WriteParameterGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dparameters, int batch)
    {
        MatMul.MultiplyTransposedA(dy, x, dparameters[..(inputs * outputs)], outputs, batch, inputs);
        if (bias) RowKernels.SumColumns(dy, dparameters[(inputs * outputs)..], batch, outputs);
    }

    private void WriteInputGradient(ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> parameters, int batch) =>
        MatMul.Multiply(dy, parameters[..(inputs * outputs)], dx, batch, outputs, inputs);

    /// <summary>
    /// <see cref="WriteGradients"/> as a fork-join job of two blocks, dx (block 0) and the
    /// parameter gradients (block 1), over raw pointers to the caller's spans, which stay fixed
    /// for the call. One instance per layer, reused: a step allocates nothing.
    /// </summary>
    private sealed unsafe class ConcurrentGradients(Dense layer) : IBlockJob
    {
        private float* _x, _dy, _dx, _parameters, _dparameters;
        private int _batch;

        /// <summary>Runs both blocks; false, having written nothing, when another caller holds the workers.</summary>
        public bool TryRun(ForkJoin pool, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> parameters, Span<float> dparameters, int batch)
        {
            fixed (float* px = x, pdy = dy, pdx = dx, pp = parameters, pdp = dparameters)
            {
                _x = px;
                _dy = pdy;
                _dx = pdx;
                _parameters = pp;
                _dparameters = pdp;
                _batch = batch;
                try
                {
                    return pool.TryRun(this, 2);
                }
                finally
                {
                    _x = _dy = _dx = _parameters = _dparameters = null;
                }
            }
        }

        public void RunBlock(int block)
        {
            int inputs = layer.InputSize, outputs = layer.OutputSize, batch = _batch;
            var dy = new ReadOnlySpan<float>(_dy, batch * outputs);
            if (block == 0)
                layer.WriteInputGradient(dy, new Span<float>(_dx, batch * inputs), new ReadOnlySpan<float>(_parameters, layer.ParameterCount), batch);
            else
                layer.WriteParameterGradients(new ReadOnlySpan<float>(_x, batch * inputs), dy, new Span<float>(_dparameters, layer.ParameterCount), batch);
        }
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
