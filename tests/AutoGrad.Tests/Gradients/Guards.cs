namespace AutoGrad.Tests.Gradients;

/// <summary>Issue 8, point 4: the generated derivatives check what the method checks, and throw the same exception.</summary>
public class Guards
{
    [Fact]
    public void ValidPointsDifferentiate()
    {
        GradientCheck.Verify(
            p => GuardFunctions.Mean(p, 3),
            (p, g) => GuardFunctions.MeanGradient(p, 3, g),
            (p, s, g) => GuardFunctions.MeanPullback(p, 3, s, g),
            [0.7, 1.3, -0.2, 0.5], [-1.1, 0.4, 0.9, -0.3]);
        GuardFunctions.LogOfGradient(2, out var dx);
        Assert.Equal(0.5, dx, 15);
        Assert.Equal(0.5, GuardFunctions.LogOfTangent(2, 1, out var tangent) * 0 + tangent, 15);
    }

    [Fact]
    public void ThrowExpression()
    {
        var expected = Assert.Throws<ArgumentOutOfRangeException>(() => GuardFunctions.LogOf(-1));
        AssertSame(expected, Assert.Throws<ArgumentOutOfRangeException>(() => GuardFunctions.LogOfGradient(-1, out _)));
        var dx = 0.0;
        AssertSame(expected, Assert.Throws<ArgumentOutOfRangeException>(() => GuardFunctions.LogOfPullback(-1, 1, ref dx)));
        AssertSame(expected, Assert.Throws<ArgumentOutOfRangeException>(() => GuardFunctions.LogOfTangent(-1, 1, out _)));
    }

    [Fact]
    public void ThrowStatementsAndHelpers()
    {
        var dx = new double[4];
        foreach (var (x, n) in new (double[], int)[] { ([1, 2, 3, 4], 0), ([1, 2, 3, 4], 5), ([0, 2, 3, 4], 2), ([1, 12, 3, 4], 3) })
        {
            var expected = Record.Exception(() => GuardFunctions.Mean(x, n));
            Assert.NotNull(expected);
            AssertSame(expected, Record.Exception(() => GuardFunctions.MeanGradient(x, n, dx)));
            AssertSame(expected, Record.Exception(() => GuardFunctions.MeanPullback(x, n, 1, dx)));
        }
    }

    private static void AssertSame(Exception expected, Exception? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal((expected as ArgumentException)?.ParamName, (actual as ArgumentException)?.ParamName);
    }
}
