namespace AutoGrad.ADBench.Tests;

/// <summary>Central finite differences, the oracle every generated gradient here is checked against.</summary>
internal static class FiniteDifferences
{
    /// <summary>Checks <paramref name="gradient"/> against central differences of <paramref name="objective"/> in every entry of <paramref name="parameters"/>.</summary>
    public static void AssertGradient(Func<double> objective, double[][] parameters, double[][] gradient, double tolerance = 1e-6)
    {
        for (int p = 0; p < parameters.Length; p++)
        {
            double[] values = parameters[p];
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                double step = 1e-6 * Math.Max(1, Math.Abs(original));
                values[i] = original + step;
                double plus = objective();
                values[i] = original - step;
                double minus = objective();
                values[i] = original;
                double expected = (plus - minus) / (2 * step);
                double scale = Math.Max(1, Math.Abs(expected));
                Assert.True(Math.Abs(gradient[p][i] - expected) <= tolerance * scale,
                    $"parameter {p}, entry {i}: generated {gradient[p][i]:R}, finite differences {expected:R}");
            }
        }
    }

    /// <summary>Uniform values in (-<paramref name="range"/>, <paramref name="range"/>) from a fixed seed.</summary>
    public static double[] Random(Random random, int count, double range = 1)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = range * (2 * random.NextDouble() - 1);
        return values;
    }
}

/// <summary>The ADBench instances the tests read: copies in Data/, beside the test assembly.</summary>
internal static class SharedData
{
    public static string Path(string relative)
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "Data", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The ADBench instance {relative} is missing: expected a copy at {path}.");
    }
}
