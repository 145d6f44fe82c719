using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad.NN;

/// <summary>Runs a model over a data set in batches to measure accuracy or produce class probabilities, reusing its buffers between calls.</summary>
public sealed class Evaluator
{
    private readonly ITrainableModel _model;
    private readonly float[] _logits;
    private readonly int _batchSize;

    /// <summary>Prepares buffers for batches of up to <paramref name="batchSize"/> samples.</summary>
    /// <param name="model">The model to evaluate.</param>
    /// <param name="batchSize">Samples per forward pass.</param>
    public Evaluator(ITrainableModel model, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _model = model;
        _batchSize = batchSize;
        _logits = new float[batchSize * model.OutputSize];
    }

    /// <summary>The fraction of samples whose largest logit is at their label, in [0, 1].</summary>
    /// <param name="data">The samples; their feature count must be the model's input size.</param>
    public double Accuracy(LabeledSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _model.InputSize)
            throw new ArgumentException($"The samples have {data.FeatureCount} features but the model takes {_model.InputSize}.", nameof(data));
        if (data.Count == 0) return 0;
        int classes = _model.OutputSize;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _batchSize)
        {
            int size = Math.Min(_batchSize, data.Count - start);
            var logits = _logits.AsSpan(0, size * classes);
            _model.Predict(data.Features.AsSpan(start * data.FeatureCount, size * data.FeatureCount), size, logits);
            for (int i = 0; i < size; i++)
            {
                if (TensorPrimitives.IndexOfMax<float>(logits.Slice(i * classes, classes)) == data.Labels[start + i]) correct++;
            }
        }
        return (double)correct / data.Count;
    }

    /// <summary>The class probabilities (softmax of the logits) of one sample.</summary>
    /// <param name="sample">The sample's features.</param>
    /// <param name="probabilities">Receives <see cref="ITrainableModel.OutputSize"/> probabilities.</param>
    /// <returns>The most probable class.</returns>
    public int Probabilities(ReadOnlySpan<float> sample, Span<float> probabilities)
    {
        int classes = _model.OutputSize;
        var logits = _logits.AsSpan(0, classes);
        _model.Predict(sample, 1, logits);
        RowKernels.Softmax<float>(logits, probabilities[..classes], 1, classes);
        return TensorPrimitives.IndexOfMax<float>(probabilities[..classes]);
    }
}
