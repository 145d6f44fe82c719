using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>
/// Exponential decay: the rate shrinks smoothly by <see cref="Factor"/> over every <see cref="Interval"/> steps,
/// <c>η_t = η₀ · factor^(t / interval)</c> (TensorFlow's <c>ExponentialDecay</c>; with interval 1, PyTorch's <c>ExponentialLR</c>).
/// </summary>
public sealed record ExponentialDecay : LearningRateSchedule
{
    internal const string KindName = "exponential";

    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The starting rate η₀; positive and finite.</param>
    /// <param name="factor">The multiplier reached after each <paramref name="interval"/> steps, in (0, 1].</param>
    /// <param name="interval">The steps over which the rate shrinks by <paramref name="factor"/>; at least 1.</param>
    public ExponentialDecay(float learningRate, float factor, long interval = 1)
    {
        LearningRate = PositiveRate(learningRate, nameof(learningRate));
        Factor = DecayFactor(factor, nameof(factor));
        Interval = PositiveSteps(interval, nameof(interval));
    }

    /// <summary>The starting rate η₀.</summary>
    public float LearningRate { get; }

    /// <summary>The multiplier reached after each <see cref="Interval"/> steps.</summary>
    public float Factor { get; }

    /// <summary>The steps over which the rate shrinks by <see cref="Factor"/>.</summary>
    public long Interval { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override float RateAt(long step) => (float)(LearningRate * Math.Pow(Factor, (double)Math.Max(0, step) / Interval));

    /// <summary>For example <c>exponential 0.003, ×0.9 per 100 steps</c>.</summary>
    public override string ToString() => $"exponential {Text(LearningRate)}, ×{Text(Factor)} per {Interval} step{(Interval == 1 ? "" : "s")}";

    private protected override void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("learning_rate", LearningRate);
        json.WriteNumber("factor", Factor);
        json.WriteNumber("interval", Interval);
    }
}
