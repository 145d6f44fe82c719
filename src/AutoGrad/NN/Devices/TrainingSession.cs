namespace AutoGrad.NN;

/// <summary>The Euclidean norm of a step's gradient and whether all its elements are finite (a huge finite gradient's norm may overflow).</summary>
/// <param name="Norm">√Σ g².</param>
/// <param name="IsFinite">Whether no element is NaN or infinite.</param>
public readonly record struct GradientSummary(double Norm, bool IsFinite);

/// <summary>
/// A model and its optimizer placed on a <see cref="Device"/>: the steps <see cref="Trainer.Fit"/> takes, in its
/// order. Between <see cref="LossAndGradient"/> and <see cref="Step"/> the gradient stays on the device; the
/// model's host <see cref="ITrainableModel.Parameters"/> and the optimizer's <see cref="Optimizer.State"/> are
/// brought up to date only by <see cref="Synchronize"/> (for metrics and checkpoints).
/// </summary>
public abstract class TrainingSession : IDisposable
{
    /// <summary>Binds the session to its model and optimizer.</summary>
    protected TrainingSession(ITrainableModel model, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Optimizer = optimizer;
    }

    /// <summary>The model being trained.</summary>
    public ITrainableModel Model { get; }

    /// <summary>The optimizer that updates it.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Computes the mean loss of the batch and its gradient at the current parameters; the gradient stays on the device.</summary>
    public abstract float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize);

    /// <summary>The norm of the last gradient and whether it is finite.</summary>
    public abstract GradientSummary SummarizeGradient();

    /// <summary>One optimizer step with the last gradient, at the optimizer's current learning rate.</summary>
    public abstract void Step();

    /// <summary>Remembers the current parameters as the last good ones.</summary>
    public abstract void KeepParameters();

    /// <summary>Puts back the parameters remembered by <see cref="KeepParameters"/>.</summary>
    public abstract void RestoreKeptParameters();

    /// <summary>Copies the device's parameters and optimizer state (and step count) into the host model and optimizer.</summary>
    public abstract void Synchronize();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the session's device buffers.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
