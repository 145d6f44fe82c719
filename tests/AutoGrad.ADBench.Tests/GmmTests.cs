using AutoGrad.Differentiation;
using AutoGrad.Tests;

namespace AutoGrad.ADBench.Tests;

public class GmmTests
{
    private static GmmInstance RandomInstance(int d, int k, int n, int seed)
    {
        var random = new Random(seed);
        return new GmmInstance(d, k, n,
            FiniteDifferences.Random(random, k), FiniteDifferences.Random(random, k * d),
            FiniteDifferences.Random(random, k * (d * (d + 1) / 2), 0.5), FiniteDifferences.Random(random, n * d, 2),
            WishartGamma: 1.5, WishartM: 2);
    }

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(2, 3, 5)]
    [InlineData(4, 2, 3)]
    public void GradientMatchesFiniteDifferences(int d, int k, int n)
    {
        GmmInstance instance = RandomInstance(d, k, n, seed: 10 * d + k);
        var gradient = new double[instance.ParameterCount];
        double value = instance.Gradient(gradient);

        Assert.Equal(instance.Objective(), value, 12);
        double[] dAlphas = gradient[..k], dMeans = gradient[k..(k + k * d)], dIcf = gradient[(k + k * d)..];
        FiniteDifferences.AssertGradient(instance.Objective, [instance.Alphas, instance.Means, instance.Icf], [dAlphas, dMeans, dIcf]);
    }

    // From d = 8 each component's centred point and its product with the factor (2d values) are kept per point
    // instead of replayed in the reverse sweep (ReplayBudget): the same bits kept, replayed, or kept for the first
    // points only (a budget of about two points' worth), and the kept gradient against finite differences.
    [Fact]
    public void GradientIsTheSameKeptReplayedOrBoth()
    {
        GmmInstance instance = RandomInstance(d: 8, k: 3, n: 6, seed: 5);
        double[] GradientWith(long budget, int least) => ReplayBudgets.With(budget, least, () =>
        {
            var gradient = new double[instance.ParameterCount];
            instance.Gradient(gradient);
            return gradient;
        });
        double[] kept = GradientWith(ReplayBudget.Bytes, ReplayBudget.MinimumValues);
        Assert.Equal(GradientWith(0, ReplayBudget.MinimumValues), kept);
        Assert.Equal(GradientWith(2048, ReplayBudget.MinimumValues), kept);
        int k = instance.K, d = instance.D;
        double[] dAlphas = kept[..k], dMeans = kept[k..(k + k * d)], dIcf = kept[(k + k * d)..];
        FiniteDifferences.AssertGradient(instance.Objective, [instance.Alphas, instance.Means, instance.Icf], [dAlphas, dMeans, dIcf]);
    }

    // The split halves (ObjectiveForward, then ObjectiveReverse from the same record) keep and replay as the
    // gradient does, the decision of each point's loop carried on the record between the two calls.
    [Fact]
    public void SplitHalvesKeptReplayedOrBothGiveTheGradient()
    {
        GmmInstance g = RandomInstance(d: 8, k: 3, n: 6, seed: 9);
        var expected = new double[g.ParameterCount];
        g.Gradient(expected);
        foreach (var (budget, least) in new[] { (ReplayBudget.Bytes, ReplayBudget.MinimumValues), (0L, ReplayBudget.MinimumValues), (2048L, 0) })
        {
            var (value, gradient, emptied) = ReplayBudgets.With(budget, least, () =>
            {
                var record = ForwardRecord.Rent();
                double value = Gmm.ObjectiveForward(g.Alphas, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.WishartGamma, g.WishartM, record);
                var gradient = new double[g.ParameterCount];
                Gmm.ObjectiveReverse(g.Alphas, g.Means, g.Icf, g.X, g.D, g.K, g.N, g.WishartGamma, g.WishartM, record, 1.0,
                    gradient.AsSpan(0, g.K), gradient.AsSpan(g.K, g.K * g.D), gradient.AsSpan(g.K + g.K * g.D));
                bool emptied = record.IsEmpty;
                ForwardRecord.Return(record);
                return (value, gradient, emptied);
            });
            Assert.True(emptied, $"budget {budget} B: the reverse half left saves on the record");
            Assert.Equal(g.Objective(), value, 12);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - gradient[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"budget {budget} B, gradient[{i}]: {gradient[i]:R}, expected {expected[i]:R}");
        }
    }

    // In one dimension the mixture is a sum of scalar Gaussians with precision exp(2q): the objective
    // written out directly, an oracle independent of the port's loops.
    [Fact]
    public void OneDimensionalObjectiveIsTheMixtureLogLikelihoodPlusThePrior()
    {
        GmmInstance instance = RandomInstance(d: 1, k: 3, n: 4, seed: 7);
        double logWeightNormaliser = Math.Log(instance.Alphas.Sum(Math.Exp));
        double logLikelihood = 0;
        foreach (double x in instance.X)
        {
            double density = 0;
            for (int k = 0; k < instance.K; k++)
            {
                double precisionRoot = Math.Exp(instance.Icf[k]);
                density += Math.Exp(instance.Alphas[k]) * precisionRoot / Math.Sqrt(2 * Math.PI)
                    * Math.Exp(-0.5 * Math.Pow(precisionRoot * (x - instance.Means[k]), 2));
            }
            logLikelihood += Math.Log(density) - logWeightNormaliser;
        }
        double gamma = instance.WishartGamma;
        int m = instance.WishartM, wishartN = 1 + m + 1;
        double prior = 0;
        for (int k = 0; k < instance.K; k++)
        {
            prior += 0.5 * gamma * gamma * Math.Exp(2 * instance.Icf[k]) - m * instance.Icf[k];
        }
        prior -= instance.K * (wishartN * (Math.Log(gamma) - 0.5 * Math.Log(2)) - Gmm.LogGamma(0.5 * wishartN));

        Assert.Equal(logLikelihood + prior, instance.Objective(), 10);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 0.5723649429247004)] // log sqrt(pi)
    [InlineData(5.0, 3.178053830347945)] // log 24
    [InlineData(10.5, 13.940625219403763)]
    public void LogGammaMatchesKnownValues(double a, double expected) => Assert.Equal(expected, Gmm.LogGamma(a), 12);

    [Fact]
    public void ReadsTheSharedInstance()
    {
        GmmInstance instance = GmmInstance.Read(SharedData.Path("gmm/10k/gmm_d2_K5.txt"));
        Assert.Equal((2, 5, 10_000), (instance.D, instance.K, instance.N));
        Assert.Equal(-0.649014, instance.Alphas[0]);
        Assert.True(double.IsFinite(instance.Objective()));
    }

    [Fact]
    public void ATruncatedFileIsAnErrorNamingTheField()
    {
        string path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "2 1 3\n0.5\n1 2\n");
            var error = Assert.Throws<InvalidDataException>(() => GmmInstance.Read(path));
            Assert.Contains("inverse-covariance factors", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
