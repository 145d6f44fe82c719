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
        int correct = CountCorrect(data, 0, data.Count);
        return data.Count == 0 ? 0 : (double)correct / data.Count;
    }

    /// <summary>How many of the samples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 have their largest logit at their label.</summary>
    /// <param name="data">The samples; their feature count must be the model's input size.</param>
    /// <param name="start">The first sample to count.</param>
    /// <param name="count">How many samples to count.</param>
    public int CountCorrect(LabeledSet data, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _model.InputSize)
            throw new ArgumentException($"The samples have {data.FeatureCount} features but the model takes {_model.InputSize}.", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, data.Count - count);
        int classes = _model.OutputSize;
        int correct = 0;
        for (int end = start + count; start < end; start += _batchSize)
        {
            int size = Math.Min(_batchSize, end - start);
            var logits = _logits.AsSpan(0, size * classes);
            _model.Predict(data.Features.AsSpan(start * data.FeatureCount, size * data.FeatureCount), size, logits);
            for (int i = 0; i < size; i++)
            {
                if (TensorPrimitives.IndexOfMax<float>(logits.Slice(i * classes, classes)) == data.Labels[start + i]) correct++;
            }
        }
        return correct;
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
