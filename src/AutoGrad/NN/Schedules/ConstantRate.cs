using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>The same learning rate at every step.</summary>
public sealed record ConstantRate : LearningRateSchedule
{
    internal const string KindName = "constant";

    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The rate; positive and finite.</param>
    public ConstantRate(float learningRate) => LearningRate = PositiveRate(learningRate, nameof(learningRate));

    /// <summary>The rate at every step.</summary>
    public float LearningRate { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override float RateAt(long step) => LearningRate;

    /// <summary>For example <c>constant 0.003</c>.</summary>
    public override string ToString() => $"constant {Text(LearningRate)}";

    private protected override void WriteParameters(Utf8JsonWriter json) => json.WriteNumber("learning_rate", LearningRate);
}
