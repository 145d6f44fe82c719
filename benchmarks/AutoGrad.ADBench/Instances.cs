using System.Globalization;

namespace AutoGrad.ADBench;

/// <summary>A GMM instance: the parameters to differentiate and the data, as ADBench's files give them.</summary>
public sealed record GmmInstance(int D, int K, int N, double[] Alphas, double[] Means, double[] Icf, double[] X,
    double WishartGamma, int WishartM)
{
    /// <summary>The number of gradient entries: log-weights, means, inverse-covariance factors.</summary>
    public int ParameterCount => Alphas.Length + Means.Length + Icf.Length;

    /// <summary>The objective at this instance.</summary>
    public double Objective() => Gmm.Objective(Alphas, Means, Icf, X, D, K, N, WishartGamma, WishartM);

    /// <summary>The objective and its gradient, written into <paramref name="gradient"/> in ADBench's order (alphas, means, icf).</summary>
    public double Gradient(Span<double> gradient) => Gmm.ObjectiveGradient(Alphas, Means, Icf, X, D, K, N, WishartGamma, WishartM,
        gradient[..Alphas.Length], gradient.Slice(Alphas.Length, Means.Length), gradient.Slice(Alphas.Length + Means.Length, Icf.Length));

    /// <summary>Reads <c>d K n</c>, the K log-weights, K × d means, K × d(d+1)/2 factors, n × d points, then γ and m.</summary>
    public static GmmInstance Read(string path)
    {
        var numbers = new NumberReader(path);
        int d = numbers.NextInt("d"), k = numbers.NextInt("K"), n = numbers.NextInt("n");
        double[] alphas = numbers.Next(k, "alphas");
        double[] means = numbers.Next(k * d, "means");
        double[] icf = numbers.Next(k * (d * (d + 1) / 2), "inverse-covariance factors");
        double[] x = numbers.Next(n * d, "points");
        double gamma = numbers.Next("Wishart gamma");
        int m = numbers.NextInt("Wishart m");
        numbers.ExpectEnd();
        return new GmmInstance(d, k, n, alphas, means, icf, x, gamma, m);
    }
}

/// <summary>
/// A bundle adjustment instance, replicated as ADBench's reader does: every camera, point, weight
/// and feature is the one the file gives, and observation i sees camera i mod n and point i mod m.
/// </summary>
public sealed record BundleAdjustmentInstance(int CameraCount, int PointCount, int Observations, double[] Cameras,
    double[] Points, double[] Weights, double[] Features, int[] ObservationIndices)
{
    /// <summary>Observation <paramref name="i"/>'s camera.</summary>
    public ReadOnlySpan<double> Camera(int i) => Cameras.AsSpan(ObservationIndices[2 * i] * BundleAdjustment.CameraParameters, BundleAdjustment.CameraParameters);

    /// <summary>Observation <paramref name="i"/>'s point.</summary>
    public ReadOnlySpan<double> Point(int i) => Points.AsSpan(ObservationIndices[2 * i + 1] * 3, 3);

    /// <summary>Observation <paramref name="i"/>'s measured feature.</summary>
    public ReadOnlySpan<double> Feature(int i) => Features.AsSpan(2 * i, 2);

    /// <summary>The number of Jacobian values: two rows of camera, point and weight per observation, then one per weight.</summary>
    public int JacobianValueCount => Observations * (2 * BundleAdjustment.BlockColumns + 1);

    /// <summary>Reads <c>n m p</c>, one camera (11), one point (3), one weight, one feature (2), and replicates them.</summary>
    public static BundleAdjustmentInstance Read(string path)
    {
        var numbers = new NumberReader(path);
        int n = numbers.NextInt("n"), m = numbers.NextInt("m"), p = numbers.NextInt("p");
        double[] camera = numbers.Next(BundleAdjustment.CameraParameters, "camera");
        double[] point = numbers.Next(3, "point");
        double weight = numbers.Next("weight");
        double[] feature = numbers.Next(2, "feature");
        numbers.ExpectEnd();

        var cameras = new double[n * BundleAdjustment.CameraParameters];
        for (int i = 0; i < n; i++) camera.CopyTo(cameras, i * BundleAdjustment.CameraParameters);
        var points = new double[m * 3];
        for (int i = 0; i < m; i++) point.CopyTo(points, i * 3);
        var features = new double[p * 2];
        for (int i = 0; i < p; i++) feature.CopyTo(features, i * 2);
        var observations = new int[p * 2];
        for (int i = 0; i < p; i++)
        {
            observations[2 * i] = i % n;
            observations[2 * i + 1] = i % m;
        }
        return new BundleAdjustmentInstance(n, m, p, cameras, points, Enumerable.Repeat(weight, p).ToArray(), features, observations);
    }
}

/// <summary>An LSTM instance: parameters, initial state and character sequence.</summary>
public sealed record LstmInstance(int L, int C, int B, double[] MainParams, double[] ExtraParams, double[] State, double[] Sequence)
{
    /// <summary>The number of gradient entries: main parameters, then extra parameters.</summary>
    public int ParameterCount => MainParams.Length + ExtraParams.Length;

    /// <summary>The objective at this instance.</summary>
    public double Objective() => Lstm.Objective(MainParams, ExtraParams, State, Sequence, L, C, B);

    /// <summary>The objective and its gradient in ADBench's order (main parameters, extra parameters).</summary>
    public double Gradient(Span<double> gradient) => Lstm.ObjectiveGradient(MainParams, ExtraParams, State, Sequence, L, C, B,
        gradient[..MainParams.Length], gradient.Slice(MainParams.Length, ExtraParams.Length));

    /// <summary>Reads <c>l c b</c>, the 2l × 4b main parameters, 3 × b extra parameters, 2l × b state, c × b sequence.</summary>
    public static LstmInstance Read(string path)
    {
        var numbers = new NumberReader(path);
        int l = numbers.NextInt("l"), c = numbers.NextInt("c"), b = numbers.NextInt("b");
        double[] main = numbers.Next(2 * l * 4 * b, "main parameters");
        double[] extra = numbers.Next(3 * b, "extra parameters");
        double[] state = numbers.Next(2 * l * b, "state");
        double[] sequence = numbers.Next(c * b, "sequence");
        numbers.ExpectEnd();
        return new LstmInstance(l, c, b, main, extra, state, sequence);
    }
}

/// <summary>Whitespace-separated numbers read in order, with errors that name the file and the field.</summary>
internal sealed class NumberReader(string path)
{
    private readonly string[] tokens = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    private int position;

    public double Next(string field)
    {
        if (position >= tokens.Length)
        {
            throw new InvalidDataException($"{path}: the file ends before {field}.");
        }
        string token = tokens[position++];
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidDataException($"{path}: '{token}' (number {position}, in {field}) is not a number.");
    }

    public double[] Next(int count, string field)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = Next(field);
        return values;
    }

    public int NextInt(string field)
    {
        double value = Next(field);
        return value == Math.Floor(value) && value is >= 0 and <= int.MaxValue
            ? (int)value
            : throw new InvalidDataException($"{path}: {field} must be a non-negative whole number, not {value}.");
    }

    public void ExpectEnd()
    {
        if (position != tokens.Length)
        {
            throw new InvalidDataException($"{path}: {tokens.Length - position} numbers follow the last field.");
        }
    }
}
