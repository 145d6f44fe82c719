namespace AutoGrad.NN;

/// <summary>A model whose parameters an optimizer can train: the contract between models and the training loop.</summary>
public interface ITrainableModel
{
    /// <summary>The number of input features per sample.</summary>
    int InputSize { get; }

    /// <summary>The number of outputs (logits, one per class) per sample.</summary>
    int OutputSize { get; }

    /// <summary>All parameters, flat.</summary>
    Span<float> Parameters { get; }

    /// <summary>Mean loss over the batch; OVERWRITES <paramref name="gradient"/> (same length as <see cref="Parameters"/>) with d(mean loss)/d(parameters).</summary>
    float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient);

    /// <summary>Writes <paramref name="batchSize"/> × <see cref="OutputSize"/> logits.</summary>
    void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits);
}
