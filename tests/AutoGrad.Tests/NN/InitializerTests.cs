using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

public sealed class InitializerTests
{
    [Theory]
    [InlineData(Initialization.UniformFanIn, 100, 10, 0.3)]
    [InlineData(Initialization.Uniform03, 100, 10, 0.3)]
    [InlineData(Initialization.Glorot, 100, 50, 0.2)]
    [InlineData(Initialization.He, 150, 10, 0.2)]
    public void Uniform_initialisations_stay_inside_their_limit_and_fill_it(Initialization initialization, int fanIn, int fanOut, double limit)
    {
        Assert.Equal(limit, Initializers.Limit(initialization, fanIn, fanOut), 12);
        var weights = new float[20_000];
        Initializers.Fill(weights, initialization, fanIn, fanOut, new Random(7));
        Assert.All(weights, w => Assert.InRange(w, -limit, limit));
        // Uniform on (−l, l): the extremes come close to the limit and the mean is near zero.
        Assert.True(weights.Max() > 0.99 * limit && weights.Min() < -0.99 * limit);
        Assert.InRange(weights.Average(), -0.02 * limit, 0.02 * limit);
    }

    [Fact]
    public void He_normal_has_the_right_deviation()
    {
        var weights = new float[40_000];
        Initializers.Fill(weights, Initialization.HeNormal, 200, 10, new Random(3));
        double mean = weights.Average(), deviation = Math.Sqrt(weights.Average(w => (w - mean) * (w - mean)));
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(deviation, 0.1 * 0.98, 0.1 * 1.02); // √(2 / 200)
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        float[] Draw(int seed)
        {
            var weights = new float[257];
            Initializers.Fill(weights, Initialization.HeNormal, 64, 64, new Random(seed));
            return weights;
        }
        Assert.Equal(Draw(5), Draw(5));
        Assert.NotEqual(Draw(5), Draw(6));
        var a = Sequential.Perceptron(4, [3], 2).Initialize(11).Parameters.ToArray();
        var b = Sequential.Perceptron(4, [3], 2).Initialize(11).Parameters.ToArray();
        Assert.Equal(a, b);
    }
}
