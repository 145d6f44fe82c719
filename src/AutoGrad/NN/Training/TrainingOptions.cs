namespace AutoGrad.NN;

/// <summary>How <see cref="Trainer.Fit"/> trains: batch size, shuffling seed, stopping criteria and callbacks.</summary>
public sealed record TrainingOptions
{
    /// <summary>The last epoch to train (a count when starting from 0). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The epochs already done, when resuming from a checkpoint; training continues with epoch <c>StartEpoch + 1</c>. Default 0.</summary>
    public int StartEpoch { get; init; }

    /// <summary>Samples per step: 1 is pattern-by-pattern learning, the training set's size (or more) is full-batch steepest descent. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the per-epoch shuffles; the same seed, model and optimizer give the same run. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to shuffle the training set every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Stop when the epoch's training loss has not improved on the best so far by more than
    /// <see cref="PlateauMinDelta"/> for this many epochs in a row. Null (default): never.
    /// </summary>
    public int? PlateauPatience { get; init; }

    /// <summary>The improvement in training loss that resets the plateau count. Default 1e-4.</summary>
    public double PlateauMinDelta { get; init; } = 1e-4;

    /// <summary>Stop after an epoch whose validation accuracy reaches this fraction (needs validation data). Null (default): never.</summary>
    public double? TargetValidationAccuracy { get; init; }

    /// <summary>
    /// Stop, without taking the step, when the Euclidean norm of a step's gradient falls below this.
    /// With a full batch this is the classic convergence test of steepest descent. Null (default): never.
    /// </summary>
    public double? GradientNormEpsilon { get; init; }

    /// <summary>Whether to measure accuracy on the whole training set after each epoch (one extra forward pass). Default true.</summary>
    public bool MeasureTrainAccuracy { get; init; } = true;

    /// <summary>Where the steps run: <see cref="Device.Simd"/> (default), or an accelerator from AutoGrad.Gpu. The caller owns (and disposes) the device.</summary>
    public Device Device { get; init; } = Device.Simd;

    /// <summary>Called after every epoch with its metrics.</summary>
    public Action<EpochMetrics>? OnEpochEnd { get; init; }

    /// <summary>Called after every step (keep it cheap: it runs on the training thread between steps).</summary>
    public Action<StepMetrics>? OnStepEnd { get; init; }

    /// <summary>Stops training between steps when cancelled; the result then says <see cref="StopReason.Cancelled"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Trains data-parallel over the ranks of this communicator (for example <c>AutoGrad.Mpi</c>'s, under
    /// <c>mpiexec</c>); null (default): one process. Every rank calls <see cref="Trainer.Fit"/> with the same
    /// model, optimizer, data and options (checked before the first step); each computes the gradient of its
    /// slice of every batch of <see cref="BatchSize"/> samples, the slices' gradients are summed, and every
    /// rank takes the same step, so the run is the one a single process would make with this batch size,
    /// up to rounding. The callbacks run on every rank with the same metrics; let one rank (rank 0) print
    /// and write files.
    /// </summary>
    public AutoGrad.Distributed.ICommunicator? Communicator { get; init; }
}
