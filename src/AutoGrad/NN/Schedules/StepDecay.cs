using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>
/// Step decay: the rate is multiplied by <see cref="Factor"/> after every <see cref="Interval"/> steps,
/// <c>η_t = η₀ · factor^⌊t / interval⌋</c> (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed record StepDecay : LearningRateSchedule
{
    internal const string KindName = "step";

    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The starting rate η₀; positive and finite.</param>
    /// <param name="factor">The multiplier applied at each drop, in (0, 1].</param>
    /// <param name="interval">Steps between drops; at least 1.</param>
    public StepDecay(float learningRate, float factor, long interval)
    {
        LearningRate = PositiveRate(learningRate, nameof(learningRate));
        Factor = DecayFactor(factor, nameof(factor));
        Interval = PositiveSteps(interval, nameof(interval));
    }

    /// <summary>The starting rate η₀.</summary>
    public float LearningRate { get; }

    /// <summary>The multiplier applied at each drop.</summary>
    public float Factor { get; }

    /// <summary>Steps between drops.</summary>
    public long Interval { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override float RateAt(long step) => (float)(LearningRate * Math.Pow(Factor, Math.Max(0, step) / Interval));

    /// <summary>For example <c>step 0.003, ×0.5 every 1000 steps</c>.</summary>
    public override string ToString() => $"step {Text(LearningRate)}, ×{Text(Factor)} every {Interval} steps";

    private protected override void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("learning_rate", LearningRate);
        json.WriteNumber("factor", Factor);
        json.WriteNumber("interval", Interval);
    }
}
