namespace AutoGrad.Tests.Gradients;

/// <summary>A generated Gradient method seen through flattened inputs: writes the gradient, returns the value.</summary>
internal delegate double GradientOf(double[] inputs, double[] gradient);

/// <summary>A generated Pullback method seen through flattened inputs: accumulates seed * gradient.</summary>
internal delegate void PullbackOf(double[] inputs, double seed, double[] gradient);

/// <summary>The float counterpart of <see cref="GradientOf"/>.</summary>
internal delegate float GradientOfFloat(float[] inputs, float[] gradient);

/// <summary>The float counterpart of <see cref="PullbackOf"/>.</summary>
internal delegate void PullbackOfFloat(float[] inputs, float seed, float[] gradient);

/// <summary>
/// Checks a generated gradient at several points: the value it returns equals the function,
/// its gradient matches central finite differences and overwrites whatever the buffer held,
/// and the pullback accumulates seed * gradient on top of what its buffer held.
/// </summary>
/// <remarks>
/// Each test flattens the inputs of its function into one vector (scalars, then array elements)
/// and adapts the generated methods with small lambdas, so one check serves every signature.
/// </remarks>
internal static class GradientCheck
{
    public const double Tolerance = 1e-6;
    public const double FloatTolerance = 2e-4;

    private const double Seed = 0.75;
    private const double Garbage = 12345.5;

    public static void Verify(Func<double[], double> f, GradientOf gradient, PullbackOf pullback, params double[][] points)
    {
        Assert.True(points.Length >= 2, "check every gradient at two points or more");
        foreach (var point in points)
        {
            var expected = FiniteDifferences.Gradient(f, point);

            var actual = Filled(point.Length, Garbage);
            var value = gradient((double[])point.Clone(), actual);
            AssertClose(f(point), value, 1e-12, "value");
            AssertClose(expected, actual, Tolerance, "gradient");

            var accumulated = Prefilled(point.Length);
            pullback((double[])point.Clone(), Seed, accumulated);
            pullback((double[])point.Clone(), Seed, accumulated);
            var prefilled = Prefilled(point.Length);
            AssertClose(prefilled.Select((p, i) => p + 2 * Seed * actual[i]).ToArray(), accumulated, 1e-12, "pullback");
        }
    }

    /// <summary>
    /// Checks a float gradient against finite differences of a double-precision
    /// <paramref name="reference"/> of the same function, with a float-sized tolerance.
    /// </summary>
    public static void VerifyFloat(Func<double[], double> reference, GradientOfFloat gradient, PullbackOfFloat pullback, params double[][] points)
    {
        Assert.True(points.Length >= 2, "check every gradient at two points or more");
        foreach (var point in points)
        {
            var inputs = point.Select(p => (float)p).ToArray();
            var expected = FiniteDifferences.Gradient(reference, inputs.Select(p => (double)p).ToArray());

            var actual = Enumerable.Repeat((float)Garbage, point.Length).ToArray();
            var value = gradient((float[])inputs.Clone(), actual);
            AssertClose(reference(inputs.Select(p => (double)p).ToArray()), value, FloatTolerance, "value");
            AssertClose(expected, actual.Select(a => (double)a).ToArray(), FloatTolerance, "gradient");

            var accumulated = Prefilled(point.Length).Select(p => (float)p).ToArray();
            pullback((float[])inputs.Clone(), (float)Seed, accumulated);
            pullback((float[])inputs.Clone(), (float)Seed, accumulated);
            var expectedAccumulated = Prefilled(point.Length).Select((p, i) => p + 2 * Seed * actual[i]).ToArray();
            AssertClose(expectedAccumulated, accumulated.Select(a => (double)a).ToArray(), 1e-5, "pullback");
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= tolerance * max(1, |expected|) for each component.</summary>
    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what = "gradient")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], tolerance, $"{what}[{i}]");
    }

    public static void AssertClose(double expected, double actual, double tolerance, string what = "value")
    {
        var error = Math.Abs(actual - expected);
        Assert.True(error <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (error {error:E2})");
    }

    private static double[] Filled(int length, double value) => Enumerable.Repeat(value, length).ToArray();

    private static double[] Prefilled(int length) => Enumerable.Range(0, length).Select(i => 0.25 * i - 1).ToArray();
}
