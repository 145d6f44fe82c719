using AutoGrad.Gpu.Kernels;
using AutoGrad.NN;
using AutoGrad.NN.Layers;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Training;

/// <summary>
/// A <see cref="Sequential"/> model and its optimizer on an ILGPU accelerator. The parameters, their gradient,
/// the optimizer's state and every layer's activations and adjoints live in device buffers laid out as on the
/// host; a step copies the batch there once and reads back three numbers (loss, squared gradient norm,
/// non-finite count). <see cref="Synchronize"/> copies parameters and optimizer state back.
/// </summary>
internal sealed class IlgpuSession : TrainingSession
{
    private readonly KernelSet _kernels;
    private readonly Accelerator _accelerator;
    private readonly Layer[] _layers;
    private readonly int[] _offsets;
    private readonly ActivationKernels?[] _activationKernels;
    private readonly int _parameterCount;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters, _gradient, _kept, _summary;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _state;
    private readonly float[] _summaryHost = new float[3];
    private MemoryBuffer1D<float, Stride1D.Dense>? _inputs, _rowLoss;
    private MemoryBuffer1D<int, Stride1D.Dense>? _labels;
    private MemoryBuffer1D<float, Stride1D.Dense>[] _activations = [], _adjoints = [];
    private int[] _labelsHost = [];
    private int _capacity, _batch;
    private long _stepCount;

    public IlgpuSession(IlgpuDevice device, Sequential model, Optimizer optimizer) : base(model, optimizer)
    {
        if (optimizer is not (Sgd or MomentumSgd or Adam or VarioEta))
            throw new NotSupportedException($"The {device.Name} device has no kernel for the {optimizer.Kind} optimizer.");
        _kernels = device.Kernels;
        _accelerator = device.Accelerator;
        _layers = [.. model.Layers];
        _offsets = new int[_layers.Length + 1];
        _activationKernels = new ActivationKernels?[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            _offsets[i + 1] = _offsets[i] + _layers[i].ParameterCount;
            _activationKernels[i] = _layers[i] switch
            {
                Dense => null,
                Activation activation => _kernels.Activation(activation.Kind),
                var other => throw new NotSupportedException($"The {device.Name} device runs Dense and Activation layers, not {other.GetType().Name}."),
            };
        }
        _parameterCount = model.Parameters.Length;
        _parameters = Allocate(_parameterCount);
        _gradient = Allocate(_parameterCount);
        _kept = Allocate(_parameterCount);
        _summary = Allocate(3);
        _parameters.View.AsContiguous().CopyFromCPU(model.Parameters);
        _kernels.Copy(_parameters.View, _kept.View, _parameterCount);
        _state = [.. optimizer.State.Select(buffer =>
        {
            var onDevice = Allocate(_parameterCount);
            onDevice.View.AsContiguous().CopyFromCPU(buffer);
            return onDevice;
        })];
        _stepCount = optimizer.StepCount;
    }

    public override float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize)
    {
        int features = Model.InputSize, classes = Model.OutputSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (inputs.Length < batchSize * features)
            throw new ArgumentException($"{batchSize} samples need {batchSize * features} inputs but {inputs.Length} were given.", nameof(inputs));
        if (labels.Length < batchSize)
            throw new ArgumentException($"{batchSize} samples need {batchSize} labels but {labels.Length} were given.", nameof(labels));
        EnsureBuffers(batchSize);
        for (int r = 0; r < batchSize; r++)
        {
            if (labels[r] >= classes) throw new ArgumentException($"Label {labels[r]} of sample {r} is not below the model's {classes} classes.", nameof(labels));
            _labelsHost[r] = labels[r];
        }
        // The batch goes to the device once; everything after this runs there.
        _inputs!.View.AsContiguous().SubView(0, batchSize * features).CopyFromCPU(inputs[..(batchSize * features)]);
        _labels!.View.AsContiguous().SubView(0, batchSize).CopyFromCPU(_labelsHost.AsSpan(0, batchSize));

        for (int i = 0; i < _layers.Length; i++) Forward(i, batchSize);
        int last = _layers.Length - 1;
        _kernels.SoftmaxCrossEntropy(Activation(last), _labels.View, Adjoint(last), _rowLoss!.View, batchSize, classes);
        for (int i = last; i >= 0; i--) Backward(i, batchSize);

        _kernels.Summarize(_rowLoss.View, _gradient.View, _summary.View, batchSize, _parameterCount);
        _summary.View.AsContiguous().CopyToCPU(_summaryHost.AsSpan());
        return _summaryHost[0] / batchSize;
    }

    public override GradientSummary SummarizeGradient() => new(Math.Sqrt(_summaryHost[1]), _summaryHost[2] == 0);

    public override void Step()
    {
        // As Optimizer.Step: the schedule's rate at the steps taken so far, then count this one.
        float rate = Optimizer.Schedule?.RateAt(_stepCount) ?? Optimizer.LearningRate;
        _stepCount++;
        var p = _parameters.View;
        var g = _gradient.View;
        switch (Optimizer)
        {
            case Sgd:
                _kernels.Sgd(p, g, rate, _parameterCount);
                break;
            case MomentumSgd momentum:
                _kernels.Momentum(p, g, _state[0].View, rate, momentum.Momentum, _parameterCount);
                break;
            case Adam adam:
                // The bias corrections as the host's Adam computes them, in double, once per step.
                var adamStep = new AdamStep((float)(rate / (1 - Math.Pow(adam.Beta1, _stepCount))), (float)(1 / (1 - Math.Pow(adam.Beta2, _stepCount))),
                    adam.Beta1, adam.Beta2, adam.Epsilon);
                _kernels.Adam(p, g, _state[0].View, _state[1].View, adamStep, _parameterCount);
                break;
            case VarioEta vario:
                var varioStep = new VarioEtaStep(rate, vario.Decay, (float)(1 - Math.Pow(vario.Decay, _stepCount)), vario.Epsilon);
                _kernels.VarioEta(p, g, _state[0].View, _state[1].View, varioStep, _parameterCount);
                break;
        }
    }

    public override void KeepParameters() => _kernels.Copy(_parameters.View, _kept.View, _parameterCount);

    public override void RestoreKeptParameters() => _kernels.Copy(_kept.View, _parameters.View, _parameterCount);

    public override void Synchronize()
    {
        _parameters.View.AsContiguous().CopyToCPU(Model.Parameters);
        var state = Optimizer.State;
        for (int i = 0; i < state.Count; i++) _state[i].View.AsContiguous().CopyToCPU(state[i].AsSpan());
        // Restore is the optimizer's public way to set its step count; the buffers are already in place.
        Optimizer.Restore(_stepCount, state);
    }

    private void Forward(int i, int batch)
    {
        var x = i == 0 ? _inputs!.View.AsContiguous().SubView(0, batch * _layers[0].InputSize) : Activation(i - 1);
        var y = Activation(i);
        switch (_layers[i])
        {
            case Dense dense:
                _kernels.MultiplyTransposedB(x, Weights(i, dense), y, batch, dense.InputSize, dense.OutputSize);
                if (dense.HasBias) _kernels.AddBias(y, Biases(i, dense, _parameters), batch, dense.OutputSize);
                break;
            case Activation activation:
                _activationKernels[i]!.Forward(x, y, activation.Parameter, batch * activation.OutputSize);
                break;
        }
    }

    private void Backward(int i, int batch)
    {
        var x = i == 0 ? _inputs!.View.AsContiguous().SubView(0, batch * _layers[0].InputSize) : Activation(i - 1);
        var dy = Adjoint(i);
        switch (_layers[i])
        {
            case Dense dense:
                int inputs = dense.InputSize, outputs = dense.OutputSize;
                _kernels.MultiplyTransposedA(dy, x, _gradient.View.SubView(_offsets[i], inputs * outputs), outputs, batch, inputs);
                if (dense.HasBias) _kernels.SumColumns(dy, Biases(i, dense, _gradient), batch, outputs);
                if (i > 0) _kernels.Multiply(dy, Weights(i, dense), Adjoint(i - 1), batch, outputs, inputs);
                break;
            case Activation activation:
                // The first layer's input is data: nobody needs its adjoint.
                if (i > 0) _activationKernels[i]!.Pullback(x, dy, Adjoint(i - 1), activation.Parameter, batch * activation.OutputSize);
                break;
        }
    }

    private ArrayView<float> Weights(int i, Dense dense) => _parameters.View.SubView(_offsets[i], dense.InputSize * dense.OutputSize);

    private ArrayView<float> Biases(int i, Dense dense, MemoryBuffer1D<float, Stride1D.Dense> all) =>
        all.View.SubView(_offsets[i] + dense.InputSize * dense.OutputSize, dense.OutputSize);

    private ArrayView<float> Activation(int i) => _activations[i].View.SubView(0, _batch * _layers[i].OutputSize);

    private ArrayView<float> Adjoint(int i) => _adjoints[i].View.SubView(0, _batch * _layers[i].OutputSize);

    /// <summary>Batch buffers grow to the largest batch seen and are then reused, so steps allocate nothing.</summary>
    private void EnsureBuffers(int batch)
    {
        _batch = batch;
        if (batch <= _capacity) return;
        DisposeBatchBuffers();
        _inputs = Allocate(batch * Model.InputSize);
        _labels = _accelerator.Allocate1D<int>(batch);
        _rowLoss = Allocate(batch);
        _activations = [.. _layers.Select(l => Allocate(batch * l.OutputSize))];
        _adjoints = [.. _layers.Select(l => Allocate(batch * l.OutputSize))];
        _labelsHost = new int[batch];
        _capacity = batch;
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Allocate(int length) => _accelerator.Allocate1D<float>(Math.Max(1, length));

    private void DisposeBatchBuffers()
    {
        _inputs?.Dispose();
        _labels?.Dispose();
        _rowLoss?.Dispose();
        foreach (var buffer in _activations.Concat(_adjoints)) buffer.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        DisposeBatchBuffers();
        foreach (var buffer in _state.Append(_parameters).Append(_gradient).Append(_kept).Append(_summary)) buffer.Dispose();
    }
}
