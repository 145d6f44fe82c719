using System.CommandLine;
using AutoGrad.NN;

namespace Mnist;

/// <summary>
/// <c>--schedule</c> and its parameters. They are given in epochs, as a user thinks of a run, and turned into
/// the optimizer steps a <see cref="LearningRateSchedule"/> counts.
/// </summary>
internal sealed class ScheduleOptions
{
    public Option<string> Kind { get; } = new("--schedule")
    {
        Description = "Learning-rate schedule: constant, step (×--decay-factor every --decay-epochs), exponential (smoothly ×--decay-factor per --decay-epochs) " +
                      "or cosine (down to --min-learning-rate at the last epoch).",
        DefaultValueFactory = _ => ConstantName,
    };

    public Option<double> DecayFactor { get; } = new("--decay-factor") { Description = "step/exponential: the multiplier per --decay-epochs.", DefaultValueFactory = _ => 0.5 };

    public Option<double> DecayEpochs { get; } = new("--decay-epochs") { Description = "step/exponential: epochs per decay (fractions allowed).", DefaultValueFactory = _ => 3 };

    public Option<double> MinLearningRate { get; } = new("--min-learning-rate") { Description = "cosine: the final learning rate.", DefaultValueFactory = _ => 0 };

    public Option<double> Warmup { get; } = new("--warmup") { Description = "Epochs of linear warm-up before the schedule (fractions allowed; 0: none).", DefaultValueFactory = _ => 0 };

    private const string ConstantName = "constant";

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Kind, DecayFactor, DecayEpochs, MinLearningRate, Warmup }) command.Options.Add(option);
    }

    /// <summary>Whether the command line names a schedule (rather than taking the default).</summary>
    public bool IsGiven(ParseResult parse) => parse.GetResult(Kind) is { Implicit: false };

    /// <summary>The schedule the options describe, for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps each.</summary>
    /// <exception cref="ArgumentException">An unknown kind or a parameter out of range, named as on the command line.</exception>
    public LearningRateSchedule Create(ParseResult parse, float learningRate, int epochs, int stepsPerEpoch)
    {
        string kind = parse.GetValue(Kind)!.ToLowerInvariant();
        double warmupEpochs = parse.GetValue(Warmup);
        if (!(warmupEpochs >= 0)) throw new ArgumentException($"--warmup must be zero or more epochs, not {warmupEpochs}.");
        long warmup = warmupEpochs == 0 ? 0 : Steps(warmupEpochs, stepsPerEpoch);
        try
        {
            LearningRateSchedule schedule = kind switch
            {
                ConstantName => new ConstantRate(learningRate),
                "step" => new StepDecay(learningRate, Factor(parse), Steps(Positive(parse, DecayEpochs), stepsPerEpoch)),
                "exponential" => new ExponentialDecay(learningRate, Factor(parse), Steps(Positive(parse, DecayEpochs), stepsPerEpoch)),
                "cosine" => new CosineAnnealing(learningRate, Math.Max(1, (long)epochs * stepsPerEpoch - warmup), (float)parse.GetValue(MinLearningRate)),
                _ => throw new ArgumentException($"Unknown schedule '{kind}'; expected constant, step, exponential or cosine."),
            };
            return schedule.WithWarmup(warmup);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The runtime names its own parameters; say which option was out of range instead.
            string option = e.ParamName switch
            {
                "learningRate" => "--learning-rate",
                "factor" => "--decay-factor",
                "minLearningRate" => "--min-learning-rate",
                _ => "--schedule",
            };
            throw new ArgumentException($"{option}: {e.Message.Split(" (Parameter")[0].Split(Environment.NewLine)[0]}");
        }
    }

    private float Factor(ParseResult parse) => (float)parse.GetValue(DecayFactor);

    private static double Positive(ParseResult parse, Option<double> option)
    {
        double value = parse.GetValue(option);
        return value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{option.Name} must be a positive number of epochs, not {value}.");
    }

    /// <summary>Epochs as whole steps, at least one.</summary>
    private static long Steps(double epochs, int stepsPerEpoch) => Math.Max(1, (long)Math.Round(epochs * stepsPerEpoch));
}
