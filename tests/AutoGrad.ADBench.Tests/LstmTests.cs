namespace AutoGrad.ADBench.Tests;

public class LstmTests
{
    [Theory]
    [InlineData(1, 4, 3)]
    [InlineData(2, 5, 4)]
    public void GradientMatchesFiniteDifferences(int l, int c, int b)
    {
        var random = new Random(100 * l + c);
        var instance = new LstmInstance(l, c, b,
            FiniteDifferences.Random(random, 8 * l * b), FiniteDifferences.Random(random, 3 * b),
            FiniteDifferences.Random(random, 2 * l * b), FiniteDifferences.Random(random, c * b));
        var gradient = new double[instance.ParameterCount];
        double value = instance.Gradient(gradient);

        Assert.Equal(instance.Objective(), value, 14);
        FiniteDifferences.AssertGradient(instance.Objective, [instance.MainParams, instance.ExtraParams],
            [gradient[..instance.MainParams.Length], gradient[instance.MainParams.Length..]]);
    }

    // ADBench's own expected values for this file (test/python/modules/common/lstm_tests.py, which
    // checks its PyTorch and TensorFlow ports to 1e-8): the loss, and the gradient's first layer's
    // forget weights (its first 14 entries) and the output bias (its last 14).
    [Fact]
    public void MatchesADBenchsReferenceOnTheTwoLayerInstance()
    {
        LstmInstance instance = LstmInstance.Read(SharedData.Path("lstm/lstm_l2_c1024.txt"));
        Assert.Equal((2, 1024, 14), (instance.L, instance.C, instance.B));
        var gradient = new double[instance.ParameterCount];
        double value = instance.Gradient(gradient);

        Assert.Equal(0.66666518, value, 1e-8);
        Assert.Equal(value, instance.Objective(), 14);
        double[] firstForgetWeights =
        [
            3.14387024996101187e-06, 0, 0, 0, 0, 0, 0, -3.67840807336070475e-05, -1.54848612683180522e-04,
            5.48717267869773910e-06, -4.04527413533285253e-06, -8.77353908686236070e-07, -1.81973718092835457e-06,
            -6.61404620766666418e-07,
        ];
        double[] outputBias =
        [
            2.17348662792538061e-02, 1.82857375496154884e-02, 1.11887441899222798e-02, 8.97672919990902263e-03,
            2.39853893219980456e-02, 1.20800375241284126e-02, 1.48638788575309582e-02, -3.02324690101714345e-02,
            -5.00116775406580991e-02, 4.46620942840666828e-03, -5.23602406001136191e-03, -1.79316285235904226e-02,
            -7.73167106472800580e-03, -2.00225690895980656e-02,
        ];
        for (int i = 0; i < 14; i++)
        {
            Assert.Equal(firstForgetWeights[i], gradient[i], 1e-12);
            Assert.Equal(outputBias[i], gradient[^14..][i], 1e-12);
        }
    }
}
