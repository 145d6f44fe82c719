using System.CommandLine;

namespace Mnist;

/// <summary>
/// The options of <c>train</c>. Each is declared once here, with its check (see <see cref="OptionKinds"/>); a run
/// setting that a checkpoint remembers also gets a line in <see cref="ResumeRules"/>.
/// </summary>
internal sealed class TrainOptions
{
    public CommonOptions Common { get; } = new();

    public Option<int> Epochs { get; } = OptionKinds.Integer("--epochs", "Epochs to train (the last epoch number when resuming).", 10, minimum: 1);

    public Option<int> BatchSize { get; } = OptionKinds.Integer("--batch-size", "Samples per step: 1 = pattern by pattern, the training set's size = full batch.", 256, minimum: 1);

    public Option<float> LearningRate { get; } = OptionKinds.Positive("--learning-rate", "Step size.", 0.003f);

    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum, adam or vario-eta.", DefaultValueFactory = _ => "adam" };

    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer sizes, e.g. 64,64,64; 'none' for softmax regression.", DefaultValueFactory = _ => "64,64,64" };

    public Option<string> Activation { get; } = new("--activation") { Description = "Hidden activation: relu, sigmoid, tanh, leaky-relu, elu, selu, gelu, swish, mish, relu6, ...", DefaultValueFactory = _ => "relu" };

    public Option<string> Init { get; } = new("--init") { Description = "Weight initialisation: fan-in (±3/√n), uniform (±0.3), glorot, he (uniform) or he-normal.", DefaultValueFactory = _ => "fan-in" };

    public Option<int> Seed { get; } = OptionKinds.Integer("--seed", "Seeds initialisation and shuffling.", 1);

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the checkpoint in --model: its model, optimizer, learning rate, schedule, batch size, seed and data set." };

    public Option<bool> Force { get; } = new("--force") { Description = "Replace an existing checkpoint in --model with a new model (without it, the run refuses)." };

    public Option<string?> Summary { get; } = new("--summary") { Description = "Write a JSON summary (data set, device, epochs, learning_rate of the last step, schedule, samples_per_second, ms_per_step, final_train_loss, test_accuracy) here." };

    public Option<string?> Plot { get; } = new("--plot") { Description = "Write training curves (training.csv, training.svg, training.png) into this folder." };

    public Option<int?> Patience { get; } = OptionKinds.OptionalInteger("--patience", "Stop when the training loss has not improved for this many epochs.", minimum: 1);

    public Option<double?> TargetAccuracy { get; } = OptionKinds.OptionalFraction("--target-accuracy", "Stop once test accuracy reaches this fraction, e.g. 0.95.");

    public ScheduleOptions Schedule { get; } = new();

    public Option<string> Device { get; } = new("--device")
    {
        Description = "Where training runs: cpu (the SIMD runtime), ilgpu-cpu (ILGPU's CPU accelerator: slow, for tests), cuda (ILGPU on an NVIDIA GPU), auto (cuda when present, else cpu).",
        DefaultValueFactory = _ => "cpu",
    };

    public void AddTo(Command command)
    {
        Common.AddTo(command);
        foreach (var option in new Option[] { Epochs, BatchSize, LearningRate, Optimizer, Hidden, Activation, Init, Seed, Resume, Force, Summary, Plot, Patience, TargetAccuracy })
            command.Options.Add(option);
        Schedule.AddTo(command);
        command.Options.Add(Device);
    }

    /// <summary>Whether the command line gives <paramref name="option"/> (rather than leaving it at its default).</summary>
    public static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
