using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AutoGrad.Gpu;
using AutoGrad.NN;
using AutoGrad.Plotting;
using Spectre.Console;

namespace Mnist;

/// <summary><c>train</c>: fits a model to the training split and reports test accuracy; also the root command's default action.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a model (the default command).");
        Configure(command);
        return command;
    }

    /// <summary>Adds the training options and action to <paramref name="command"/>.</summary>
    public static void Configure(Command command)
    {
        var common = new CommonOptions();
        common.AddTo(command);
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train (the last epoch number when resuming).", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per step: 1 = pattern by pattern, the training set's size = full batch.", DefaultValueFactory = _ => 256 };
        var learningRate = new Option<float>("--learning-rate") { Description = "Step size.", DefaultValueFactory = _ => 0.003f };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum, adam or vario-eta.", DefaultValueFactory = _ => "adam" };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, e.g. 64,64,64; 'none' for softmax regression.", DefaultValueFactory = _ => "64,64,64" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: relu, sigmoid, tanh, leaky-relu, elu, selu, gelu, swish, mish, relu6, ...", DefaultValueFactory = _ => "relu" };
        var init = new Option<string>("--init") { Description = "Weight initialisation: fan-in (±3/√n), uniform (±0.3), glorot, he (uniform) or he-normal.", DefaultValueFactory = _ => "fan-in" };
        var seed = new Option<int>("--seed") { Description = "Seeds initialisation and shuffling.", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "Continue from --model (parameters, optimizer state and epoch)." };
        var summary = new Option<string?>("--summary") { Description = "Write a JSON summary (device, epochs, learning_rate of the last step, schedule, samples_per_second, ms_per_step, final_train_loss, test_accuracy) here." };
        var plot = new Option<string?>("--plot") { Description = "Write training curves (training.csv, training.svg, training.png) into this folder." };
        var patience = new Option<int?>("--patience") { Description = "Stop when the training loss has not improved for this many epochs." };
        var target = new Option<double?>("--target-accuracy") { Description = "Stop once test accuracy reaches this fraction, e.g. 0.95." };
        foreach (var option in new Option[] { epochs, batchSize, learningRate, optimizer, hidden, activation, init, seed, resume, summary, plot, patience, target })
            command.Options.Add(option);
        var schedule = new ScheduleOptions();
        schedule.AddTo(command);
        var device = new Option<string>("--device")
        {
            Description = "Where training runs: cpu (the SIMD runtime), ilgpu-cpu (ILGPU's CPU accelerator: slow, for tests), cuda (ILGPU on an NVIDIA GPU), auto (cuda when present, else cpu).",
            DefaultValueFactory = _ => "cpu",
        };
        command.Options.Add(device);

        command.SetAction(parse =>
        {
            var settings = new TrainSettings(
                parse.GetValue(common.Data), parse.GetValue(common.Prefix)!, parse.GetValue(common.Model),
                parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(learningRate), parse.GetValue(optimizer)!,
                parse.GetValue(hidden)!, parse.GetValue(activation)!, parse.GetValue(init)!, parse.GetValue(seed), parse.GetValue(resume),
                parse.GetValue(summary), parse.GetValue(plot), parse.GetValue(patience), parse.GetValue(target),
                (rate, epochCount, stepsPerEpoch) => schedule.Create(parse, rate, epochCount, stepsPerEpoch), schedule.IsGiven(parse),
                parse.GetValue(device)!);
            return Output.Run(() => Train(settings));
        });
    }

    private sealed record TrainSettings(
        string? Data, string Prefix, string? Model, int Epochs, int BatchSize, float LearningRate, string Optimizer,
        string Hidden, string Activation, string Init, int Seed, bool Resume, string? Summary, string? Plot, int? Patience, double? TargetAccuracy,
        Func<float, int, int, LearningRateSchedule> Schedule, bool ScheduleGiven, string Device);

    private static int Train(TrainSettings settings)
    {
        var data = DataSource.Load(settings.Data, settings.Prefix);
        var train = LabeledSet.From(data.Train);
        var test = LabeledSet.From(data.Test);

        Sequential model;
        string architecture;
        int startEpoch = 0;
        Optimizer optimizer;
        if (settings.Resume)
        {
            if (settings.Model is null) throw new ArgumentException("--resume needs --model PATH, the checkpoint to continue from.");
            var checkpoint = CheckpointFile.Load(settings.Model);
            architecture = checkpoint.Architecture;
            model = ModelFactory.FromArchitecture(architecture);
            var saved = checkpoint.Optimizer ?? throw new ArgumentException($"{settings.Model} holds no optimizer state to resume from.");
            optimizer = AutoGrad.NN.Optimizer.Create(saved.Kind, model.Parameters.Length, settings.LearningRate);
            checkpoint.RestoreInto(model, optimizer);
            startEpoch = checkpoint.Epoch;
            Output.Info($"Resuming {architecture} with {saved.Kind} from epoch {startEpoch} ({settings.Model})" +
                        (saved.Schedule is null || settings.ScheduleGiven ? "." : $", continuing its schedule at step {optimizer.StepCount:N0} (rate {optimizer.LearningRate:G4})."));
            // The saved schedule continues from the saved step. One named on the command line replaces it: it is planned
            // for epochs 1 to --epochs, as if the run had used it from the start, and read from the saved step on.
            if (settings.ScheduleGiven || optimizer.Schedule is null)
                optimizer.Schedule = settings.Schedule(settings.LearningRate, settings.Epochs, StepsPerEpoch(train.Count, settings.BatchSize));
        }
        else
        {
            var hidden = ModelFactory.ParseHidden(settings.Hidden);
            var activation = ModelFactory.ParseActivation(settings.Activation);
            architecture = ModelFactory.Architecture(train.FeatureCount, hidden, data.Train.ClassCount, activation);
            model = ModelFactory.Create(train.FeatureCount, hidden, data.Train.ClassCount, activation, ModelFactory.ParseInitialization(settings.Init), settings.Seed);
            optimizer = AutoGrad.NN.Optimizer.Create(settings.Optimizer, model.Parameters.Length,
                settings.Schedule(settings.LearningRate, settings.Epochs, StepsPerEpoch(train.Count, settings.BatchSize)));
        }
        Output.Info($"{architecture}: {model.Parameters.Length:N0} parameters; {optimizer.Kind} lr {optimizer.Schedule?.ToString() ?? optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)}, " +
                     $"batch {settings.BatchSize}; {train.Count:N0} training and {test.Count:N0} test digits.");

        using var device = Devices.FromName(settings.Device);
        Output.Info(device is IlgpuDevice accelerator ? $"device {device.Name}: {accelerator.AcceleratorName}" : $"device {device.Name}");
        var options = new TrainingOptions
        {
            Device = device,
            Epochs = settings.Epochs,
            StartEpoch = startEpoch,
            BatchSize = settings.BatchSize,
            Seed = settings.Seed,
            PlateauPatience = settings.Patience,
            TargetValidationAccuracy = settings.TargetAccuracy,
        };
        var result = Output.IsInteractive ? FitWithProgress(model, optimizer, train, test, options) : FitWithLines(model, optimizer, train, test, options);

        if (result.Diverged) Output.Error(result.Message);
        else Output.Info(result.Message);
        double testAccuracy = new Evaluator(model).Accuracy(test);
        var last = result.History.Count > 0 ? result.History[^1] : default;
        Output.Info($"test accuracy {testAccuracy:P2}; {result.SamplesPerSecond:N0} samples/s, {result.MillisecondsPerStep:F3} ms per step over {result.TotalSteps:N0} steps.");

        if (settings.Model is not null)
        {
            CheckpointFile.Save(settings.Model, Checkpoint.Capture(architecture, model, optimizer, result.LastEpoch));
            Output.Info($"saved {settings.Model} (epoch {result.LastEpoch}).");
        }
        if (settings.Plot is not null)
        {
            Directory.CreateDirectory(settings.Plot);
            TrainingCurves.WriteCsv(Path.Combine(settings.Plot, "training.csv"), result.History);
            string title = $"{settings.Prefix}: {architecture}, {optimizer.Kind}";
            TrainingCurves.Save(Path.Combine(settings.Plot, "training.svg"), result.History, title);
            TrainingCurves.Save(Path.Combine(settings.Plot, "training.png"), result.History, title);
            Output.Info($"wrote {Path.Combine(settings.Plot, "training.csv")}, training.svg and training.png.");
        }
        if (settings.Summary is not null)
        {
            WriteSummary(settings.Summary, architecture, optimizer, settings, result, last, testAccuracy, device.Name);
            Output.Info($"wrote {settings.Summary}.");
        }
        return result.Diverged ? 2 : 0;
    }

    private static int StepsPerEpoch(int samples, int batchSize) =>
        batchSize > 0 ? (samples + batchSize - 1) / batchSize : throw new ArgumentException($"--batch-size must be positive, not {batchSize}.");

    private static TrainingResult FitWithLines(Sequential model, Optimizer optimizer, LabeledSet train, LabeledSet test, TrainingOptions options) =>
        Trainer.Fit(model, optimizer, train, test, new TrainingOptions
        {
            Device = options.Device, Epochs = options.Epochs, StartEpoch = options.StartEpoch, BatchSize = options.BatchSize, Seed = options.Seed,
            PlateauPatience = options.PlateauPatience, TargetValidationAccuracy = options.TargetValidationAccuracy,
            OnEpochEnd = e => System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Epoch,3}  loss {e.TrainLoss:F4}  train {e.TrainAccuracy:P2}  test {e.ValidationAccuracy:P2}  {e.SamplesPerSecond,9:N0} samples/s  {e.Elapsed.TotalSeconds:F2} s")),
        });

    private static TrainingResult FitWithProgress(Sequential model, Optimizer optimizer, LabeledSet train, LabeledSet test, TrainingOptions options)
    {
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                long lastRefresh = 0;
                result = Trainer.Fit(model, optimizer, train, test, new TrainingOptions
                {
                    Device = options.Device, Epochs = options.Epochs, StartEpoch = options.StartEpoch, BatchSize = options.BatchSize, Seed = options.Seed,
                    PlateauPatience = options.PlateauPatience, TargetValidationAccuracy = options.TargetValidationAccuracy,
                    OnStepEnd = s =>
                    {
                        if (task is null || s.Step == 1)
                            task = context.AddTask($"epoch {s.Epoch}", maxValue: s.StepsPerEpoch);
                        task.Value = s.Step;
                        // Redraw the text ten times a second, not every step.
                        if (Stopwatch.GetElapsedTime(lastRefresh).TotalMilliseconds < 100 && s.Step != s.StepsPerEpoch) return;
                        lastRefresh = Stopwatch.GetTimestamp();
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"epoch {s.Epoch,3}  loss [yellow]{s.EpochLoss:F4}[/]  {s.EpochSamplesPerSecond,8:N0}/s");
                    },
                    OnEpochEnd = e =>
                    {
                        if (task is null) return;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"epoch {e.Epoch,3}  loss [yellow]{e.TrainLoss:F4}[/]  train [green]{100 * e.TrainAccuracy:F1}%[/]  test [green]{100 * e.ValidationAccuracy:F1}%[/]  {e.SamplesPerSecond,8:N0}/s");
                        task.StopTask();
                    },
                });
            });
        return result!;
    }

    private static void WriteSummary(string path, string architecture, Optimizer optimizer, TrainSettings settings, TrainingResult result, EpochMetrics last, double testAccuracy, string device)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", architecture);
        json.WriteString("device", device);
        json.WriteString("optimizer", optimizer.Kind);
        json.WriteNumber("learning_rate", optimizer.LearningRate);
        if (optimizer.Schedule is { } schedule)
        {
            json.WritePropertyName("schedule");
            schedule.WriteJson(json);
        }
        json.WriteNumber("batch_size", settings.BatchSize);
        json.WriteNumber("seed", settings.Seed);
        json.WriteNumber("epochs", result.LastEpoch);
        json.WriteNumber("steps", result.TotalSteps);
        json.WriteNumber("training_seconds", Math.Round(result.TrainingTime.TotalSeconds, 3));
        json.WriteNumber("samples_per_second", Math.Round(result.SamplesPerSecond, 1));
        json.WriteNumber("ms_per_step", Math.Round(result.MillisecondsPerStep, 4));
        json.WriteNumber("final_train_loss", result.History.Count > 0 ? Math.Round(last.TrainLoss, 6) : double.NaN);
        json.WriteNumber("final_train_accuracy", result.History.Count > 0 ? Math.Round(last.TrainAccuracy, 6) : double.NaN);
        json.WriteNumber("test_accuracy", Math.Round(testAccuracy, 6));
        json.WriteString("stop_reason", result.StopReason.ToString());
        json.WriteString("stop_message", result.Message);
        json.WriteEndObject();
    }
}
