namespace AutoGrad.Tape.Tests;

/// <summary>Compares tape gradients with central finite differences.</summary>
internal static class GradientAssert
{
    private const double Step = 1e-5;

    /// <summary>
    /// Checks the tape's value of <paramref name="recorded"/> against <paramref name="plain"/>
    /// and its gradient against central differences of <paramref name="plain"/>, an independent
    /// implementation in doubles.
    /// </summary>
    public static double[] Matches(Func<Var[], Var> recorded, Func<double[], double> plain, double[] x, double tolerance = 1e-8)
    {
        var (value, gradient) = TapeGradient(recorded, x);
        Close(plain(x), value, 1e-12, "value");
        AllClose(CentralDifferences(plain, x), gradient, tolerance);
        return gradient;
    }

    /// <summary>Checks the tape's gradient of <paramref name="recorded"/> against central differences of its values.</summary>
    public static double[] Matches(Func<Var[], Var> recorded, double[] x, double tolerance = 1e-8) =>
        Matches(recorded, point => TapeGradient(recorded, point).Value, x, tolerance);

    /// <summary>
    /// Checks the gradient of a function of one variable vector against central differences of
    /// the tape's values.
    /// </summary>
    public static double[] MatchesVector(Func<VarVector, Var> recorded, double[] x, double tolerance = 1e-8)
    {
        var (_, gradient) = VectorTapeGradient(recorded, x);
        AllClose(CentralDifferences(point => VectorTapeGradient(recorded, point).Value, x), gradient, tolerance);
        return gradient;
    }

    public static (double Value, double[] Gradient) TapeGradient(Func<Var[], Var> f, double[] x)
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            var inputs = new Var[x.Length];
            tape.Variables(x, inputs);
            Var output = f(inputs);
            var gradient = new double[x.Length];
            tape.Gradient(output, inputs, gradient);
            return (output.Value, gradient);
        }
    }

    public static (double Value, double[] Gradient) VectorTapeGradient(Func<VarVector, Var> f, double[] x)
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            VarVector input = tape.Variable(x);
            Var output = f(input);
            tape.Backward(output);
            return (output.Value, tape.Adjoints(input).ToArray());
        }
    }

    public static double[] CentralDifferences(Func<double[], double> f, double[] x)
    {
        var gradient = new double[x.Length];
        var point = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            double h = Step * Math.Max(1, Math.Abs(x[i]));
            point[i] = x[i] + h;
            double up = f(point);
            point[i] = x[i] - h;
            double down = f(point);
            point[i] = x[i];
            gradient[i] = (up - down) / (2 * h);
        }
        return gradient;
    }

    public static void AllClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], tolerance, $"element {i}");
    }

    public static void Close(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(expected - actual);
        if (!(error <= tolerance * Math.Max(1, Math.Abs(expected))))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (error {error:E2}).");
    }

    /// <summary>Values uniform in [low, high) from a fixed seed.</summary>
    public static double[] Uniform(int seed, int count, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = low + (high - low) * random.NextDouble();
        return values;
    }
}
