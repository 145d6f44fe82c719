namespace AutoGrad.NN;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">The mean of the step losses over the epoch, weighted by batch size.</param>
/// <param name="TrainAccuracy">Accuracy on the training set after the epoch, or NaN when not measured.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch, or NaN without validation data.</param>
/// <param name="Steps">Optimizer steps taken in the epoch.</param>
/// <param name="Elapsed">Time spent in the epoch's steps (not in measuring accuracy).</param>
/// <param name="SamplesPerSecond">Training samples processed per second of <paramref name="Elapsed"/>.</param>
/// <param name="LearningRate">The optimizer's learning rate at the epoch's last step (it changes within an epoch when a schedule is attached), or NaN when unknown.</param>
public readonly record struct EpochMetrics(
    int Epoch, double TrainLoss, double TrainAccuracy, double ValidationAccuracy, int Steps, TimeSpan Elapsed, double SamplesPerSecond, double LearningRate = double.NaN);

/// <summary>What one step did.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Step">The step within the epoch, from 1.</param>
/// <param name="StepsPerEpoch">Steps in a full epoch.</param>
/// <param name="Loss">The batch's mean loss before the step.</param>
/// <param name="GradientNorm">The Euclidean norm of the batch's gradient.</param>
/// <param name="BatchSize">Samples in the batch.</param>
/// <param name="EpochLoss">The running mean loss of the epoch so far.</param>
/// <param name="EpochSamplesPerSecond">Samples per second so far in this epoch.</param>
public readonly record struct StepMetrics(
    int Epoch, int Step, int StepsPerEpoch, double Loss, double GradientNorm, int BatchSize, double EpochLoss, double EpochSamplesPerSecond);

/// <summary>Why training stopped.</summary>
public enum StopReason
{
    /// <summary>The configured number of epochs ran.</summary>
    EpochLimit,
    /// <summary>The training loss stopped improving (<see cref="TrainingOptions.PlateauPatience"/>).</summary>
    LossPlateau,
    /// <summary>Validation accuracy reached <see cref="TrainingOptions.TargetValidationAccuracy"/>.</summary>
    TargetAccuracy,
    /// <summary>A gradient's norm fell below <see cref="TrainingOptions.GradientNormEpsilon"/>.</summary>
    GradientConverged,
    /// <summary>The loss became NaN or infinite; the parameters were restored to the last ones with a finite loss.</summary>
    NonFiniteLoss,
    /// <summary>The <see cref="TrainingOptions.CancellationToken"/> was cancelled.</summary>
    Cancelled,
}

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">The metrics of every completed epoch, in order.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="Message">A sentence saying why, naming the epoch (and step, where it matters).</param>
/// <param name="LastEpoch">The last epoch completed (for a checkpoint); equals <see cref="TrainingOptions.StartEpoch"/> if none was.</param>
/// <param name="TotalSteps">Optimizer steps taken.</param>
/// <param name="TrainingTime">Time spent in steps, over all epochs.</param>
public sealed record TrainingResult(
    IReadOnlyList<EpochMetrics> History, StopReason StopReason, string Message, int LastEpoch, long TotalSteps, TimeSpan TrainingTime)
{
    /// <summary>The number of data-parallel ranks that trained the model together (1: one process).</summary>
    public int Ranks { get; init; } = 1;

    /// <summary>Time spent summing gradients over the ranks, waiting for slower ranks included (zero in one process).</summary>
    public TimeSpan CommunicationTime { get; init; }

    /// <summary>Whether training ended because the loss diverged.</summary>
    public bool Diverged => StopReason == StopReason.NonFiniteLoss;

    /// <summary>Training samples per second over the whole run.</summary>
    public double SamplesPerSecond => TrainingTime > TimeSpan.Zero ? History.Sum(e => e.SamplesPerSecond * e.Elapsed.TotalSeconds) / TrainingTime.TotalSeconds : 0;

    /// <summary>Mean milliseconds per optimizer step over the whole run.</summary>
    public double MillisecondsPerStep => TotalSteps > 0 ? TrainingTime.TotalMilliseconds / TotalSteps : 0;
}
