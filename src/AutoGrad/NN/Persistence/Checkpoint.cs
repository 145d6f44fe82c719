namespace AutoGrad.NN;

/// <summary>An optimizer's saved state: enough to continue training exactly where it stopped.</summary>
/// <param name="Kind">The optimizer's <see cref="Optimizer.Kind"/>.</param>
/// <param name="LearningRate">Its learning rate when saved.</param>
/// <param name="StepCount">Its <see cref="Optimizer.StepCount"/>.</param>
/// <param name="State">Copies of its <see cref="Optimizer.State"/> buffers.</param>
/// <param name="Schedule">Its <see cref="Optimizer.Schedule"/>, or null for a fixed learning rate.</param>
public sealed record OptimizerSnapshot(string Kind, float LearningRate, long StepCount, IReadOnlyList<float[]> State, LearningRateSchedule? Schedule = null)
{
    /// <summary>Copies the state of <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer to snapshot.</param>
    public static OptimizerSnapshot Of(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new OptimizerSnapshot(optimizer.Kind, optimizer.LearningRate, optimizer.StepCount, optimizer.State.Select(b => (float[])b.Clone()).ToArray(), optimizer.Schedule);
    }

    /// <summary>
    /// Puts this state into <paramref name="optimizer"/>, which must be of the same kind and size. A saved schedule is
    /// attached too, and continues from the saved step; without one, the optimizer keeps its own learning rate.
    /// </summary>
    /// <param name="optimizer">The optimizer to restore.</param>
    /// <exception cref="ArgumentException">The kinds or sizes differ.</exception>
    public void RestoreInto(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!string.Equals(optimizer.Kind, Kind, StringComparison.Ordinal))
            throw new ArgumentException($"The saved optimizer state is for {Kind}, not {optimizer.Kind}.", nameof(optimizer));
        optimizer.Restore(StepCount, State);
        if (Schedule is not null) optimizer.Schedule = Schedule;
    }
}

/// <summary>A model's parameters with the optimizer state and epoch they were reached at: what <see cref="CheckpointFile"/> saves and loads.</summary>
/// <param name="Architecture">A description of the model that made the parameters, such as <c>mlp 784-64-64-64-10 relu</c>; checked on resume.</param>
/// <param name="InputSize">The model's <see cref="ITrainableModel.InputSize"/>.</param>
/// <param name="OutputSize">The model's <see cref="ITrainableModel.OutputSize"/>.</param>
/// <param name="Epoch">The last completed epoch.</param>
/// <param name="Parameters">A copy of the parameters.</param>
/// <param name="Optimizer">The optimizer state, or null when only the model was saved.</param>
/// <param name="Settings">
/// What else the application that trained the model wants to remember about the run (its data set, batch size,
/// seed, ...), by name; the keys are the application's own. Empty when none were saved, and in files written
/// before settings existed (format versions 1 and 2).
/// </param>
public sealed record Checkpoint(string Architecture, int InputSize, int OutputSize, int Epoch, float[] Parameters, OptimizerSnapshot? Optimizer,
    IReadOnlyDictionary<string, string>? Settings = null)
{
    /// <summary>The saved run settings (never null; empty when none were saved).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = Settings ?? new Dictionary<string, string>();

    /// <summary>Copies the state of a model and, optionally, its optimizer.</summary>
    /// <param name="architecture">A description of the model.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">Its optimizer, or null.</param>
    /// <param name="epoch">The last completed epoch.</param>
    /// <param name="settings">The run's settings to remember (see <see cref="Settings"/>), or null for none.</param>
    public static Checkpoint Capture(string architecture, ITrainableModel model, Optimizer? optimizer, int epoch, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(model);
        return new Checkpoint(architecture, model.InputSize, model.OutputSize, epoch, model.Parameters.ToArray(), optimizer is null ? null : OptimizerSnapshot.Of(optimizer),
            settings is null ? null : new Dictionary<string, string>(settings));
    }

    /// <summary>Copies the saved parameters into <paramref name="model"/> and, when both exist, the optimizer state into <paramref name="optimizer"/>.</summary>
    /// <param name="model">A model of the same shape.</param>
    /// <param name="optimizer">An optimizer of the saved kind, or null to restore the parameters only.</param>
    /// <exception cref="ArgumentException">The model's shape or the optimizer's kind differ from the saved ones.</exception>
    public void RestoreInto(ITrainableModel model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.InputSize != InputSize || model.OutputSize != OutputSize || model.Parameters.Length != Parameters.Length)
        {
            throw new ArgumentException(
                $"The checkpoint ({Architecture}) holds {Parameters.Length} parameters for {InputSize} inputs and {OutputSize} outputs; " +
                $"the model has {model.Parameters.Length} parameters for {model.InputSize} inputs and {model.OutputSize} outputs.", nameof(model));
        }
        Parameters.CopyTo(model.Parameters);
        if (optimizer is not null && Optimizer is not null) Optimizer.RestoreInto(optimizer);
    }
}
