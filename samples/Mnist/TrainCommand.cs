using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AutoGrad.Gpu;
using AutoGrad.Mpi;
using AutoGrad.NN;
using AutoGrad.Plotting;
using Spectre.Console;

namespace Mnist;

/// <summary>
/// <c>train</c>: fits a model to the training split and reports test accuracy; also the root command's default action.
/// It never loses work: outputs are checked before training, a checkpoint is saved at the end of every epoch, and
/// Ctrl-C stops after the current step, keeps the last epoch's checkpoint and writes the summary (exit code 130).
/// </summary>
internal static class TrainCommand
{
    public static Command Create(MpiCommunicator? world)
    {
        var command = new Command("train", "Train a model (the default command).");
        Configure(command, world);
        return command;
    }

    /// <summary>Adds the training options and action to <paramref name="command"/>; with <paramref name="world"/> (under mpiexec) the ranks train data-parallel.</summary>
    public static void Configure(Command command, MpiCommunicator? world)
    {
        var options = new TrainOptions();
        options.AddTo(command);
        command.SetAction(parse => Output.Run(() => Train(parse, options, world)));
    }

    private static int Train(ParseResult parse, TrainOptions o, MpiCommunicator? world)
    {
        bool resume = parse.GetValue(o.Resume);
        var outputs = RunOutputs.Check(parse.GetValue(o.Common.Model), parse.GetValue(o.Summary), parse.GetValue(o.Plot), resume, parse.GetValue(o.Force));
        var checkpoint = resume ? CheckpointFile.Load(outputs.Model!) : null;
        if (checkpoint is not null) ResumeRules.Check(parse, o, checkpoint, outputs.Model!);

        // A resumed run continues with what its checkpoint recorded; the command line may only repeat it (checked above).
        int batchSize = checkpoint is null || TrainOptions.IsGiven(parse, o.BatchSize) ? parse.GetValue(o.BatchSize) : ResumeRules.IntSetting(checkpoint, ResumeRules.BatchSizeKey, parse.GetValue(o.BatchSize));
        int seed = checkpoint is null || TrainOptions.IsGiven(parse, o.Seed) ? parse.GetValue(o.Seed) : ResumeRules.IntSetting(checkpoint, ResumeRules.SeedKey, parse.GetValue(o.Seed));
        string prefix = checkpoint is not null && !TrainOptions.IsGiven(parse, o.Common.Prefix) && checkpoint.Settings.TryGetValue(ResumeRules.DataSetKey, out var savedPrefix)
            ? savedPrefix : parse.GetValue(o.Common.Prefix)!;
        int epochs = parse.GetValue(o.Epochs);
        if (checkpoint is not null && epochs <= checkpoint.Epoch)
            throw new ArgumentException($"--epochs {epochs}: the checkpoint {outputs.Model} is already at epoch {checkpoint.Epoch}; give a later last epoch, such as --epochs {checkpoint.Epoch + 5}.");

        var data = DataSource.Load(parse.GetValue(o.Common.Data), prefix);
        var train = LabeledSet.From(data.Set.Train);
        var test = LabeledSet.From(data.Set.Test);
        int stepsPerEpoch = (int)(((long)train.Count + batchSize - 1) / batchSize);
        LearningRateSchedule NewSchedule(float rate) => o.Schedule.Create(parse, rate, epochs, stepsPerEpoch);

        Sequential model;
        Optimizer optimizer;
        string architecture;
        var initialization = ModelFactory.ParseInitialization(parse.GetValue(o.Init)!);
        if (checkpoint is not null)
        {
            architecture = checkpoint.Architecture;
            model = ModelFactory.FromArchitecture(architecture, Math.Min(batchSize, train.Count));
            var saved = checkpoint.Optimizer ?? throw new ArgumentException($"{outputs.Model} holds no optimizer state to resume from.");
            optimizer = AutoGrad.NN.Optimizer.Create(saved.Kind, model.Parameters.Length, saved.LearningRate);
            checkpoint.RestoreInto(model, optimizer);
            if (checkpoint.Settings.TryGetValue(ResumeRules.InitKey, out var savedInit)) initialization = Enum.Parse<Initialization>(savedInit);
            bool scheduleGiven = o.Schedule.IsGiven(parse);
            Output.Info($"Resuming {architecture} with {saved.Kind} from epoch {checkpoint.Epoch} ({outputs.Model})" +
                        (saved.Schedule is null || scheduleGiven ? "." : $", continuing its schedule at step {optimizer.StepCount:N0} (rate {optimizer.LearningRate:G4})."));
            // The saved schedule continues from the saved step. One named on the command line replaces it: it is planned
            // for epochs 1 to --epochs, as if the run had used it from the start, and read from the saved step on.
            if (scheduleGiven)
                optimizer.Schedule = NewSchedule(TrainOptions.IsGiven(parse, o.LearningRate) ? parse.GetValue(o.LearningRate) : saved.LearningRate);
        }
        else
        {
            var hidden = ModelFactory.ParseHidden(parse.GetValue(o.Hidden)!);
            var activation = ModelFactory.ParseActivation(parse.GetValue(o.Activation)!);
            int[] sizes = [train.FeatureCount, .. hidden, data.Set.Train.ClassCount];
            if (ModelFactory.SizeProblem(sizes, Math.Min(batchSize, train.Count)) is { } problem)
                throw new ArgumentException($"--hidden {parse.GetValue(o.Hidden)} with --batch-size {batchSize}: the model {problem}");
            architecture = ModelFactory.Architecture(train.FeatureCount, hidden, data.Set.Train.ClassCount, activation);
            model = ModelFactory.Create(train.FeatureCount, hidden, data.Set.Train.ClassCount, activation, initialization, seed);
            optimizer = AutoGrad.NN.Optimizer.Create(parse.GetValue(o.Optimizer)!, model.Parameters.Length, NewSchedule(parse.GetValue(o.LearningRate)));
        }
        Output.Info($"{architecture}: {model.Parameters.Length:N0} parameters; {optimizer.Kind} lr {optimizer.Schedule?.ToString() ?? optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)}, " +
                    $"batch {batchSize}{(world is null ? "" : $" over {world.Size} ranks")}; {data.Describe()}.");

        var settings = ResumeRules.Settings(data.Prefix, batchSize, seed, initialization);
        string? savedAt = checkpoint is null ? null : $"epoch {checkpoint.Epoch}";
        using var device = Devices.FromName(parse.GetValue(o.Device)!);
        Output.Info(device is IlgpuDevice accelerator ? $"device {device.Name}: {accelerator.AcceleratorName}" : $"device {device.Name}");
        using var interruption = new Interruption();
        var options = new TrainingOptions
        {
            Device = device,
            Epochs = epochs,
            StartEpoch = checkpoint?.Epoch ?? 0,
            BatchSize = batchSize,
            Seed = seed,
            PlateauPatience = parse.GetValue(o.Patience),
            TargetValidationAccuracy = parse.GetValue(o.TargetAccuracy),
            CancellationToken = interruption.Token,
            Communicator = world,
        };
        // Every completed epoch is saved at once (atomically), so an interrupted run loses at most the epoch in progress.
        void SaveEpoch(EpochMetrics e)
        {
            // Every rank holds the same model; only rank 0 writes it.
            if (outputs.Model is null || !Output.IsRoot || e.Steps != stepsPerEpoch) return;
            CheckpointFile.Save(outputs.Model, Checkpoint.Capture(architecture, model, optimizer, e.Epoch, settings));
            savedAt = $"epoch {e.Epoch}";
        }
        var result = Output.IsInteractive
            ? FitWithProgress(model, optimizer, train, test, options, SaveEpoch)
            : FitWithLines(model, optimizer, train, test, options, stepsPerEpoch, SaveEpoch);
        bool interrupted = result.StopReason == StopReason.Cancelled;

        if (result.Diverged) Output.Error(result.Message);
        else Output.Info(interrupted ? $"Interrupted by Ctrl-C: {result.Message}" : result.Message);
        double testAccuracy = new Evaluator(model).Accuracy(test);
        Output.Info($"test accuracy {testAccuracy:P2} on {data.Name}; {result.SamplesPerSecond:N0} samples/s, {result.MillisecondsPerStep:F3} ms per step over {result.TotalSteps:N0} steps.");

        if (outputs.Model is not null && Output.IsRoot)
        {
            if (!interrupted)
            {
                // Also after a stop inside an epoch (a plateau, a converged gradient, restored parameters after divergence).
                CheckpointFile.Save(outputs.Model, Checkpoint.Capture(architecture, model, optimizer, result.LastEpoch, settings));
                savedAt = $"epoch {result.LastEpoch}";
            }
            Output.Info(savedAt is null
                ? $"No epoch was completed, so nothing was saved to {outputs.Model}."
                : $"{outputs.Model} holds the model at the end of {savedAt}{(interrupted ? " (the interrupted epoch's steps are not in it)" : "")}.");
        }
        if (outputs.Plot is not null && Output.IsRoot)
        {
            string title = $"{data.Name}: {architecture}, {optimizer.Kind}";
            var files = outputs.CurveFiles.ToArray();
            TrainingCurves.WriteCsv(files[0], result.History);
            TrainingCurves.Save(files[1], result.History, title);
            TrainingCurves.Save(files[2], result.History, title);
            Output.Info($"wrote {string.Join(", ", files)}.");
        }
        if (outputs.Summary is not null && Output.IsRoot)
        {
            RunSummary.Write(outputs.Summary, data, device.Name, architecture, optimizer, batchSize, seed, result, testAccuracy, interrupted);
            Output.Info($"wrote {outputs.Summary}.");
        }
        return interrupted ? Interruption.ExitCode : result.Diverged ? 2 : 0;
    }

    private static TrainingResult FitWithLines(Sequential model, Optimizer optimizer, LabeledSet train, LabeledSet test, TrainingOptions options, int stepsPerEpoch, Action<EpochMetrics> onEpochEnd) =>
        Trainer.Fit(model, optimizer, train, test, options with { OnEpochEnd = e =>
        {
            onEpochEnd(e);
            Output.Info(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Epoch,3}  loss {e.TrainLoss:F4}  train {e.TrainAccuracy:P2}  test {e.ValidationAccuracy:P2}  {e.SamplesPerSecond,9:N0} samples/s  {e.Elapsed.TotalSeconds:F2} s") +
                (e.Steps == stepsPerEpoch ? "" : $"  (stopped after {e.Steps} of {stepsPerEpoch} steps)"));
        } });

    private static TrainingResult FitWithProgress(Sequential model, Optimizer optimizer, LabeledSet train, LabeledSet test, TrainingOptions options, Action<EpochMetrics> onEpochEnd)
    {
        TrainingResult? result = null;
        try
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn())
                .Start(context =>
                {
                    ProgressTask? task = null;
                    long lastRefresh = 0;
                    result = Trainer.Fit(model, optimizer, train, test, options with
                    {
                        OnStepEnd = s =>
                        {
                            if (task is null || s.Step == 1)
                                task = context.AddTask($"epoch {s.Epoch}", maxValue: s.StepsPerEpoch);
                            task.Value = s.Step;
                            // Redraw the text ten times a second, not every step.
                            if (Stopwatch.GetElapsedTime(lastRefresh).TotalMilliseconds < 100 && s.Step != s.StepsPerEpoch) return;
                            lastRefresh = Stopwatch.GetTimestamp();
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"epoch {s.Epoch,3}  loss [yellow]{s.EpochLoss:F4}[/]  {s.EpochSamplesPerSecond,8:N0}/s{(options.CancellationToken.IsCancellationRequested ? "  [red]stopping[/]" : "")}");
                        },
                        OnEpochEnd = e =>
                        {
                            onEpochEnd(e);
                            if (task is null) return;
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"epoch {e.Epoch,3}  loss [yellow]{e.TrainLoss:F4}[/]  train [green]{100 * e.TrainAccuracy:F1}%[/]  test [green]{100 * e.ValidationAccuracy:F1}%[/]  {e.SamplesPerSecond,8:N0}/s");
                            task.StopTask();
                        },
                    });
                });
        }
        finally
        {
            // The progress display hides the cursor; an exception must not leave it hidden.
            AnsiConsole.Cursor.Show();
        }
        return result!;
    }
}
