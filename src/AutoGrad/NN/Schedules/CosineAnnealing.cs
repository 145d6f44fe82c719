using System.Text.Json;

namespace AutoGrad.NN;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, 2017, without restarts): the rate falls along half a cosine
/// from η₀ to <see cref="MinLearningRate"/> over <see cref="Steps"/> steps and stays there,
/// <c>η_t = η_min + (η₀ − η_min)(1 + cos(π · min(t, T) / T)) / 2</c> (PyTorch's <c>CosineAnnealingLR</c>).
/// </summary>
public sealed record CosineAnnealing : LearningRateSchedule
{
    internal const string KindName = "cosine";

    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The starting rate η₀; positive and finite.</param>
    /// <param name="steps">The length T of the fall; at least 1.</param>
    /// <param name="minLearningRate">The final rate η_min, in [0, η₀].</param>
    public CosineAnnealing(float learningRate, long steps, float minLearningRate = 0)
    {
        LearningRate = PositiveRate(learningRate, nameof(learningRate));
        Steps = PositiveSteps(steps, nameof(steps));
        if (!(minLearningRate >= 0 && minLearningRate <= learningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, $"The final rate must lie in [0, {learningRate}], the starting rate.");
        MinLearningRate = minLearningRate;
    }

    /// <summary>The starting rate η₀.</summary>
    public float LearningRate { get; }

    /// <summary>The length T of the fall, in steps.</summary>
    public long Steps { get; }

    /// <summary>The final rate η_min.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <inheritdoc />
    public override float RateAt(long step)
    {
        double progress = (double)Math.Clamp(step, 0, Steps) / Steps;
        return (float)(MinLearningRate + (LearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }

    /// <summary>For example <c>cosine 0.003 → 0 over 3000 steps</c>.</summary>
    public override string ToString() => $"cosine {Text(LearningRate)} → {Text(MinLearningRate)} over {Steps} steps";

    private protected override void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteNumber("learning_rate", LearningRate);
        json.WriteNumber("steps", Steps);
        json.WriteNumber("min_learning_rate", MinLearningRate);
    }
}
