using System.Globalization;
using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>
/// A learning rate that changes with the step number. Attach one to an optimizer
/// (<see cref="Optimizer.Schedule"/>) and every <see cref="Optimizer.Step"/> reads its rate from it.
/// Schedules are small immutable records: <see cref="ConstantRate"/>, <see cref="StepDecay"/>,
/// <see cref="ExponentialDecay"/> and <see cref="CosineAnnealing"/>, any of them behind a
/// <see cref="LinearWarmup"/> (<see cref="WithWarmup"/>).
/// </summary>
/// <remarks>
/// A schedule is saved as a small JSON object (<see cref="ToJson"/>, <see cref="FromJson(string)"/>): the same
/// text goes into checkpoints and training summaries, for example
/// <c>{"kind":"warmup","steps":100,"then":{"kind":"cosine","learning_rate":0.003,"steps":3000,"min_learning_rate":0}}</c>.
/// </remarks>
public abstract record LearningRateSchedule
{
    private protected LearningRateSchedule()
    {
    }

    /// <summary>The name that identifies the schedule in JSON and on the command line: <c>constant</c>, <c>step</c>, <c>exponential</c>, <c>cosine</c> or <c>warmup</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The learning rate of the update with index <paramref name="step"/>, counting from 0; never negative. Allocates nothing.</summary>
    /// <param name="step">The number of updates taken before this one.</param>
    public abstract float RateAt(long step);

    /// <summary>This schedule behind <paramref name="steps"/> steps of linear warm-up, or this schedule itself when <paramref name="steps"/> is 0.</summary>
    /// <param name="steps">The number of warm-up steps; not negative.</param>
    public LearningRateSchedule WithWarmup(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return steps == 0 ? this : new LinearWarmup(steps, this);
    }

    /// <summary>Writes the schedule as one JSON object: <c>kind</c> and its parameters.</summary>
    /// <param name="json">The writer.</param>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("kind", Kind);
        WriteParameters(json);
        json.WriteEndObject();
    }

    /// <summary>The schedule as compact JSON text, which <see cref="FromJson(string)"/> reads back into an equal schedule.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream)) WriteJson(json);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a schedule written by <see cref="ToJson"/> or <see cref="WriteJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not JSON, or not a schedule: an unknown kind, a missing or invalid parameter.</exception>
    public static LearningRateSchedule FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"A learning-rate schedule is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads a schedule from a parsed JSON object.</summary>
    /// <param name="element">An object with <c>kind</c> and the kind's parameters.</param>
    /// <exception cref="FormatException">An unknown kind, a missing or invalid parameter.</exception>
    public static LearningRateSchedule FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"A learning-rate schedule must be a JSON object, not {element.ValueKind}.");
        string kind = element.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : throw new FormatException("A learning-rate schedule has no \"kind\".");
        try
        {
            return kind switch
            {
                ConstantRate.KindName => new ConstantRate(Single(element, "learning_rate")),
                StepDecay.KindName => new StepDecay(Single(element, "learning_rate"), Single(element, "factor"), Int64(element, "interval")),
                ExponentialDecay.KindName => new ExponentialDecay(Single(element, "learning_rate"), Single(element, "factor"), Int64(element, "interval")),
                CosineAnnealing.KindName => new CosineAnnealing(Single(element, "learning_rate"), Int64(element, "steps"), Single(element, "min_learning_rate")),
                LinearWarmup.KindName => new LinearWarmup(Int64(element, "steps"),
                    element.TryGetProperty("then", out var then) ? FromJson(then) : throw new FormatException("A warm-up schedule has no \"then\".")),
                _ => throw new FormatException($"Unknown learning-rate schedule kind \"{kind}\"; expected constant, step, exponential, cosine or warmup."),
            };
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The {kind} learning-rate schedule has an invalid parameter: {e.Message}", e);
        }
    }

    /// <summary>Writes the parameters of this kind of schedule, after <c>kind</c>.</summary>
    private protected abstract void WriteParameters(Utf8JsonWriter json);

    /// <summary>A positive, finite rate, or an exception naming <paramref name="name"/>.</summary>
    private protected static float PositiveRate(float value, string name) =>
        float.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "A learning rate must be a positive finite number.");

    /// <summary>A step count of at least one, or an exception naming <paramref name="name"/>.</summary>
    private protected static long PositiveSteps(long value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "A number of steps must be at least 1.");

    /// <summary>A decay factor in (0, 1], or an exception naming <paramref name="name"/>.</summary>
    private protected static float DecayFactor(float value, string name) =>
        value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "A decay factor must lie in (0, 1].");

    /// <summary>A number for <see cref="object.ToString"/>, the same on every culture.</summary>
    private protected static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static float Single(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out float number)
            ? number
            : throw new FormatException($"A learning-rate schedule lacks the number \"{name}\".");

    private static long Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
            ? number
            : throw new FormatException($"A learning-rate schedule lacks the whole number \"{name}\".");
}
