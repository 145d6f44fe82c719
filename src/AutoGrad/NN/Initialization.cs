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
}

/// <summary>Fills weights according to an <see cref="Initialization"/>, deterministically for a seeded <see cref="Random"/>.</summary>
public static class Initializers
{
    /// <summary>The half-width of the uniform range the initialisation draws from.</summary>
    public static double Limit(Initialization initialization, int fanIn, int fanOut) => initialization switch
    {
        Initialization.UniformFanIn => 3 / Math.Sqrt(fanIn),
        Initialization.Uniform03 => 0.3,
        Initialization.Glorot => Math.Sqrt(6.0 / (fanIn + fanOut)),
        _ => Math.Sqrt(6.0 / fanIn),
    };

    /// <summary>Fills <paramref name="weights"/> uniformly in (-limit, limit).</summary>
    public static void Fill(Span<float> weights, Initialization initialization, int fanIn, int fanOut, Random random)
    {
        var limit = Limit(initialization, fanIn, fanOut);
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2 - 1) * limit);
    }
}
