using AutoGrad.NN;

namespace Descent;

/// <summary>The command line's schedule, made for each optimizer's own starting rate.</summary>
/// <param name="Kind">constant, step, exponential or cosine.</param>
/// <param name="DecayFactor">step/exponential: the multiplier per <paramref name="DecaySteps"/>.</param>
/// <param name="DecaySteps">step/exponential: steps per decay.</param>
/// <param name="MinFraction">cosine: the final rate as a fraction of the starting rate.</param>
/// <param name="Warmup">Steps of linear warm-up.</param>
/// <param name="Steps">The walk's step budget, over which cosine anneals.</param>
public sealed record SchedulePlan(string Kind, double DecayFactor, int DecaySteps, double MinFraction, int Warmup, int Steps)
{
    /// <summary>The schedule starting at <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">An unknown kind or a parameter out of range, named as on the command line.</exception>
    public LearningRateSchedule For(float learningRate)
    {
        if (Warmup < 0) throw new ArgumentException($"--warmup must be zero or more steps, not {Warmup}.");
        if (!(MinFraction >= 0 && MinFraction <= 1)) throw new ArgumentException($"--min-learning-rate must lie in [0, 1] (a fraction of the starting rate), not {MinFraction}.");
        if (!(DecayFactor > 0 && DecayFactor <= 1)) throw new ArgumentException($"--decay-factor must lie in (0, 1], not {DecayFactor}.");
        if (DecaySteps < 1) throw new ArgumentException($"--decay-steps must be at least 1, not {DecaySteps}.");
        if (!(float.IsFinite(learningRate) && learningRate > 0)) throw new ArgumentException($"--learning-rate must be a positive number, not {learningRate}.");
        LearningRateSchedule schedule = Kind.ToLowerInvariant() switch
        {
            "constant" => new ConstantRate(learningRate),
            "step" => new StepDecay(learningRate, (float)DecayFactor, DecaySteps),
            "exponential" => new ExponentialDecay(learningRate, (float)DecayFactor, DecaySteps),
            "cosine" => new CosineAnnealing(learningRate, Math.Max(1, Steps - Warmup), (float)(MinFraction * learningRate)),
            _ => throw new ArgumentException($"Unknown schedule '{Kind}'; expected constant, step, exponential or cosine."),
        };
        return schedule.WithWarmup(Warmup);
    }
}
