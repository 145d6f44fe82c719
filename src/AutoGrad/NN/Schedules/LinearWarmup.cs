using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>
/// Linear warm-up in front of another schedule: for the first <see cref="Steps"/> steps the rate climbs in equal
/// steps towards the other schedule's first rate, <c>η_t = (t + 1) / (W + 1) · then(0)</c> for t &lt; W, and
/// from then on it is the other schedule, started afresh: <c>η_t = then(t − W)</c>.
/// </summary>
/// <remarks>
/// The ramp never gives a zero rate (a step that would change nothing) and ends one step below the full
/// rate, so with W = 4 the first rates are 1/5, 2/5, 3/5, 4/5 and then 1 of <c>then(0)</c>.
/// </remarks>
public sealed record LinearWarmup : LearningRateSchedule
{
    internal const string KindName = "warmup";

    /// <summary>Creates the schedule.</summary>
    /// <param name="steps">The warm-up length W; at least 1.</param>
    /// <param name="then">The schedule that follows, counted from the end of the warm-up.</param>
    public LinearWarmup(long steps, LearningRateSchedule then)
    {
        ArgumentNullException.ThrowIfNull(then);
        Steps = PositiveSteps(steps, nameof(steps));
        Then = then;
    }

    /// <summary>The warm-up length W, in steps.</summary>
    public long Steps { get; }

    /// <summary>The schedule after the warm-up.</summary>
    public LearningRateSchedule Then { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override float RateAt(long step) =>
        step < Steps ? (float)((double)Then.RateAt(0) * (Math.Max(0, step) + 1) / (Steps + 1)) : Then.RateAt(step - Steps);

    /// <summary>For example <c>cosine 0.003 → 0 over 3000 steps, after 100 warm-up steps</c>.</summary>
    public override string ToString() => $"{Then}, after {Steps} warm-up steps";

    private protected override void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("steps", Steps);
        json.WritePropertyName("then");
        Then.WriteJson(json);
    }
}
