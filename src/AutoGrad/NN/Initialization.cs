namespace AutoGrad.NN;

/// <summary>How a layer's weights start.</summary>
public enum Initialization
{
    /// <summary>Uniform in (-3/√n, 3/√n) with n the fan-in: the seed lectures' rule.</summary>
    UniformFanIn,
    /// <summary>Uniform in (-0.3, 0.3).</summary>
    Uniform03,
    /// <summary>Glorot (Xavier) uniform: ±√(6 / (fan-in + fan-out)).</summary>
    Glorot,
    /// <summary>He (Kaiming) uniform for ReLU networks: ±√(6 / fan-in).</summary>
    He,
    /// <summary>He (Kaiming) normal for ReLU networks: mean 0, standard deviation √(2 / fan-in).</summary>
    HeNormal,
}

/// <summary>Fills weights according to an <see cref="Initialization"/>, deterministically for a seeded <see cref="Random"/>.</summary>
public static class Initializers
{
    /// <summary>
    /// The half-width of the uniform range the initialisation draws from; for
    /// <see cref="Initialization.HeNormal"/>, the standard deviation of its normal distribution.
    /// </summary>
    public static double Limit(Initialization initialization, int fanIn, int fanOut) => initialization switch
    {
        Initialization.HeNormal => Math.Sqrt(2.0 / fanIn),
        Initialization.UniformFanIn => 3 / Math.Sqrt(fanIn),
        Initialization.Uniform03 => 0.3,
        Initialization.Glorot => Math.Sqrt(6.0 / (fanIn + fanOut)),
        _ => Math.Sqrt(6.0 / fanIn),
    };

    /// <summary>Fills <paramref name="weights"/> uniformly in (-limit, limit), or from the normal distribution of <see cref="Initialization.HeNormal"/>.</summary>
    public static void Fill(Span<float> weights, Initialization initialization, int fanIn, int fanOut, Random random)
    {
        var limit = Limit(initialization, fanIn, fanOut);
        if (initialization == Initialization.HeNormal)
        {
            FillNormal(weights, limit, random);
            return;
        }
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2 - 1) * limit);
    }

    /// <summary>Standard normal draws by the Box–Muller transform, two per pair of uniforms, scaled by <paramref name="deviation"/>.</summary>
    private static void FillNormal(Span<float> weights, double deviation, Random random)
    {
        for (int i = 0; i < weights.Length; i += 2)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            weights[i] = (float)(deviation * radius * Math.Cos(angle));
            if (i + 1 < weights.Length) weights[i + 1] = (float)(deviation * radius * Math.Sin(angle));
        }
    }
}
