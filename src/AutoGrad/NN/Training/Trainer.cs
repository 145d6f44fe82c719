using System.Diagnostics;
using AutoGrad.Distributed;

namespace AutoGrad.NN;

/// <summary>
/// The one-call training loop: epochs of shuffled mini-batches, each step the model's
/// <see cref="ITrainableModel.LossAndGradient"/> followed by <see cref="Optimizer.Step"/>,
/// with per-epoch metrics, callbacks and stopping criteria. The steps run on
/// <see cref="TrainingOptions.Device"/> (the host's SIMD kernels by default); the host model is
/// brought up to date after every epoch and at the end. All buffers are allocated before
/// the first step, so steps allocate nothing (as long as the model's own step does not).
/// With <see cref="TrainingOptions.Communicator"/> it trains data-parallel: every rank runs this
/// same loop on its own replica and slice of each batch, and the ranks' gradients are summed.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> in place until a stopping criterion of <paramref name="options"/> holds.</summary>
    /// <param name="model">The model; its <see cref="ITrainableModel.Parameters"/> are updated in place.</param>
    /// <param name="optimizer">The optimizer, made for the model's parameter count.</param>
    /// <param name="train">The training samples.</param>
    /// <param name="validation">Held-out samples whose accuracy is measured after each epoch, or null.</param>
    /// <param name="options">Batch size, seed, stopping criteria and callbacks; null for the defaults.</param>
    /// <returns>The per-epoch history and why training stopped. A NaN or infinite loss stops training with
    /// <see cref="StopReason.NonFiniteLoss"/> and a message naming the epoch and step; the parameters are then
    /// those of the last step whose loss was finite.</returns>
    public static TrainingResult Fit(ITrainableModel model, Optimizer optimizer, LabeledSet train, LabeledSet? validation, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        Validate(model, optimizer, train, validation, options);

        var batches = new MiniBatcher(train, options.BatchSize, options.Seed, options.Shuffle);
        using var session = options.Device.Open(model, optimizer);
        var group = options.Communicator is { } communicator ? new DataParallel(communicator, session) : null;
        int rank = options.Communicator?.Rank ?? 0, ranks = options.Communicator?.Size ?? 1;
        var evaluator = new Evaluator(model);
        var history = new List<EpochMetrics>(Math.Max(0, options.Epochs - options.StartEpoch));
        double bestLoss = double.PositiveInfinity;
        int epochsWithoutImprovement = 0;
        long totalSteps = 0, totalTicks = 0;
        int lastGoodEpoch = options.StartEpoch, lastGoodStep = 0;
        group?.CheckAgreement(model, optimizer, train, validation, options);

        for (int epoch = options.StartEpoch + 1; epoch <= options.Epochs; epoch++)
        {
            batches.Shuffle(epoch);
            double lossSum = 0;
            int samples = 0, steps = 0;
            StopReason? stop = null;
            string message = "";
            long epochStart = Stopwatch.GetTimestamp();
            for (int b = 0; b < batches.BatchCount; b++)
            {
                // Ranks decide together, through the step's sum, whether to stop: none may wait for a step the others skip.
                bool cancel = options.CancellationToken.IsCancellationRequested;
                if (cancel && group is null)
                {
                    stop = StopReason.Cancelled;
                    message = $"Training was cancelled in epoch {epoch} before step {b + 1} of {batches.BatchCount}.";
                    break;
                }
                int batchSize = batches.SizeOf(b);
                var slice = batches.Batch(b, rank, ranks); // the whole batch in one process
                float loss = slice.Size > 0 ? session.LossAndGradient(slice.Inputs, slice.Labels, slice.Size) : 0;
                if (group is not null)
                {
                    loss = group.Sum(loss, slice.Size, batchSize, ref cancel);
                    if (cancel)
                    {
                        stop = StopReason.Cancelled;
                        message = $"Training was cancelled in epoch {epoch} before step {b + 1} of {batches.BatchCount}.";
                        break;
                    }
                }
                // The norm of a huge but finite gradient can overflow; only a NaN or infinite element means divergence.
                var (norm, gradientFinite) = session.SummarizeGradient();
                if (!float.IsFinite(loss) || !gradientFinite)
                {
                    string what = float.IsFinite(loss) ? "The gradient became non-finite" : $"The loss became {loss}";
                    session.RestoreKeptParameters();
                    stop = StopReason.NonFiniteLoss;
                    message = $"{what} at epoch {epoch}, step {b + 1} of {batches.BatchCount}; training stopped and the parameters were restored to "
                        + (lastGoodStep == 0 ? "their starting values." : $"those of epoch {lastGoodEpoch}, step {lastGoodStep}, the last step with a finite loss.")
                        + " Try a smaller learning rate.";
                    break;
                }
                session.KeepParameters();
                lastGoodEpoch = epoch;
                lastGoodStep = b + 1;
                if (options.GradientNormEpsilon is { } epsilon && norm < epsilon)
                {
                    stop = StopReason.GradientConverged;
                    message = $"The gradient norm {norm:G4} fell below {epsilon:G4} at epoch {epoch}, step {b + 1}.";
                    break;
                }
                session.Step();
                lossSum += (double)loss * batchSize;
                samples += batchSize;
                steps++;
                if (options.OnStepEnd is { } onStep)
                {
                    double seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
                    onStep(new StepMetrics(epoch, b + 1, batches.BatchCount, loss, norm, batchSize, lossSum / samples, seconds > 0 ? samples / seconds : 0));
                }
            }
            long epochTicks = Stopwatch.GetTimestamp() - epochStart;
            totalTicks += epochTicks;
            totalSteps += steps;
            session.Synchronize(); // the metrics, callbacks and the caller read the host model
            group?.CheckReplicas(model, optimizer, epoch);

            if (samples > 0)
            {
                var elapsed = Stopwatch.GetElapsedTime(0, epochTicks);
                var metrics = new EpochMetrics(
                    epoch,
                    lossSum / samples,
                    options.MeasureTrainAccuracy ? Accuracy(train) : double.NaN,
                    validation is null ? double.NaN : Accuracy(validation),
                    steps,
                    elapsed,
                    elapsed > TimeSpan.Zero ? samples / elapsed.TotalSeconds : 0,
                    optimizer.LearningRate);
                history.Add(metrics);
                options.OnEpochEnd?.Invoke(metrics);

                if (stop is null && options.TargetValidationAccuracy is { } target && metrics.ValidationAccuracy >= target)
                {
                    stop = StopReason.TargetAccuracy;
                    message = $"Validation accuracy {metrics.ValidationAccuracy:P2} reached the target {target:P2} at epoch {epoch}.";
                }
                if (stop is null && options.PlateauPatience is { } patience)
                {
                    if (metrics.TrainLoss < bestLoss - options.PlateauMinDelta)
                    {
                        bestLoss = metrics.TrainLoss;
                        epochsWithoutImprovement = 0;
                    }
                    else if (++epochsWithoutImprovement >= patience)
                    {
                        stop = StopReason.LossPlateau;
                        message = $"The training loss did not improve by more than {options.PlateauMinDelta:G3} for {patience} epoch{(patience == 1 ? "" : "s")} (best {bestLoss:G5}); stopped at epoch {epoch}.";
                    }
                }
            }
            // A cancelled epoch did not finish: the last completed one is the one before it.
            if (stop is { } reason) return Result(reason, message, reason == StopReason.Cancelled ? epoch - 1 : epoch);
        }
        return Result(StopReason.EpochLimit, $"Trained to epoch {options.Epochs}.", Math.Max(options.Epochs, options.StartEpoch));

        double Accuracy(LabeledSet data) => group is null ? evaluator.Accuracy(data) : group.Accuracy(evaluator, data);

        TrainingResult Result(StopReason reason, string message, int lastEpoch) =>
            new(history, reason, message, lastEpoch, totalSteps, Stopwatch.GetElapsedTime(0, totalTicks))
            {
                Ranks = ranks,
                CommunicationTime = group?.CommunicationTime ?? TimeSpan.Zero,
            };
    }

    private static void Validate(ITrainableModel model, Optimizer optimizer, LabeledSet train, LabeledSet? validation, TrainingOptions options)
    {
        if (optimizer.ParameterCount != model.Parameters.Length)
            throw new ArgumentException($"The optimizer was made for {optimizer.ParameterCount} parameters but the model has {model.Parameters.Length}.", nameof(optimizer));
        if (train.FeatureCount != model.InputSize)
            throw new ArgumentException($"The training samples have {train.FeatureCount} features but the model takes {model.InputSize}.", nameof(train));
        if (validation is not null && validation.FeatureCount != model.InputSize)
            throw new ArgumentException($"The validation samples have {validation.FeatureCount} features but the model takes {model.InputSize}.", nameof(validation));
        if (options.TargetValidationAccuracy is not null && validation is null)
            throw new ArgumentException("A validation-accuracy target needs validation data.", nameof(validation));
        if (options.Device is null) throw new ArgumentException("TrainingOptions.Device is null; use Device.Simd for the host.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.StartEpoch, nameof(options.StartEpoch));
        if (options.PlateauPatience is < 1) throw new ArgumentOutOfRangeException(nameof(options.PlateauPatience), options.PlateauPatience, "Patience must be at least one epoch.");
    }
}
