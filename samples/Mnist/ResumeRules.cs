using System.CommandLine;
using System.Globalization;
using AutoGrad.NN;

namespace Mnist;

/// <summary>
/// What a resumed run takes from its checkpoint, and the check that an option given with <c>--resume</c> agrees
/// with it: a run that silently ignored <c>--hidden 32</c> or reset the learning rate would not be the run the
/// user asked for.
/// </summary>
internal static class ResumeRules
{
    /// <summary>Names under which <see cref="Checkpoint.Settings"/> keeps this sample's run settings.</summary>
    public const string DataSetKey = "data_set", BatchSizeKey = "batch_size", SeedKey = "seed", InitKey = "init";

    /// <summary>The settings a checkpoint of this run records.</summary>
    public static Dictionary<string, string> Settings(string prefix, int batchSize, int seed, Initialization initialization) => new()
    {
        [DataSetKey] = prefix,
        [BatchSizeKey] = batchSize.ToString(CultureInfo.InvariantCulture),
        [SeedKey] = seed.ToString(CultureInfo.InvariantCulture),
        [InitKey] = initialization.ToString(),
    };

    /// <summary>Throws naming the first option given on the command line that disagrees with the checkpoint.</summary>
    /// <exception cref="ArgumentException">The option, its value, and the checkpoint's.</exception>
    public static void Check(ParseResult parse, TrainOptions options, Checkpoint checkpoint, string path)
    {
        var (sizes, activation) = ModelFactory.ParseArchitecture(checkpoint.Architecture);
        var saved = checkpoint.Optimizer;
        string? Setting(string key) => checkpoint.Settings.TryGetValue(key, out var value) ? value : null;
        bool scheduleGiven = options.Schedule.IsGiven(parse);

        // Each line: the option, the checkpoint's value (null: it does not record one), and the option's value, both in one spelling.
        var rules = new (Option Option, string? Saved, Func<string> Given)[]
        {
            (options.Hidden, sizes.Length == 2 ? "none" : string.Join(',', sizes[1..^1]), () => Hidden(parse.GetValue(options.Hidden)!)),
            (options.Activation, ModelFactory.ActivationName(activation), () => ModelFactory.ActivationName(ModelFactory.ParseActivation(parse.GetValue(options.Activation)!))),
            (options.Optimizer, saved?.Kind, () => parse.GetValue(options.Optimizer)!.ToLowerInvariant()),
            // A schedule named on the command line replaces the saved one and starts from --learning-rate.
            (options.LearningRate, scheduleGiven ? null : saved?.Schedule is null or ConstantRate ? Rate(saved?.LearningRate) : $"the schedule {saved.Schedule}", () => parse.GetValue(options.LearningRate).ToString("R", CultureInfo.InvariantCulture)),
            (options.BatchSize, Setting(BatchSizeKey), () => parse.GetValue(options.BatchSize).ToString(CultureInfo.InvariantCulture)),
            (options.Seed, Setting(SeedKey), () => parse.GetValue(options.Seed).ToString(CultureInfo.InvariantCulture)),
            (options.Init, Setting(InitKey) ?? "the saved parameters", () => ModelFactory.ParseInitialization(parse.GetValue(options.Init)!).ToString()),
            (options.Common.Prefix, Setting(DataSetKey), () => parse.GetValue(options.Common.Prefix)!),
        };
        foreach (var (option, savedValue, given) in rules)
        {
            if (savedValue is null || !TrainOptions.IsGiven(parse, option)) continue;
            string value = given();
            if (value == savedValue) continue;
            throw new ArgumentException(
                $"{option.Name} {string.Join(' ', parse.GetResult(option)!.Tokens.Select(t => t.Value))} conflicts with the checkpoint {path}, which has {savedValue}. " +
                $"Leave {option.Name} out to continue with the checkpoint's value, or start a new model with --force.");
        }
    }

    /// <summary>A saved setting, or <paramref name="fallback"/> in checkpoints that predate it.</summary>
    public static int IntSetting(Checkpoint checkpoint, string key, int fallback) =>
        checkpoint.Settings.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static string Hidden(string text) => ModelFactory.ParseHidden(text) is { Length: > 0 } sizes ? string.Join(',', sizes) : "none";

    private static string? Rate(float? rate) => rate?.ToString("R", CultureInfo.InvariantCulture);
}
