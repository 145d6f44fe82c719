namespace Descent;

/// <summary>A point of the plane.</summary>
public readonly record struct Point(double X, double Y)
{
    /// <summary>The Euclidean distance to <paramref name="other"/>.</summary>
    public double DistanceTo(Point other) => Math.Sqrt((X - other.X) * (X - other.X) + (Y - other.Y) * (Y - other.Y));

    /// <inheritdoc />
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"({X:0.##}, {Y:0.##})");
}

/// <summary>The value of a surface at (x, y) and its gradient, the shape of a generated <c>{Name}Gradient</c> method.</summary>
public delegate double GradientFunction(double x, double y, out double dx, out double dy);

/// <summary>A loss surface of two parameters with what drawing and walking on it needs.</summary>
/// <param name="Name">Its name on the command line.</param>
/// <param name="Formula">The formula, for the picture's title.</param>
/// <param name="Value">f(x, y).</param>
/// <param name="Gradient">f and its gradient (the generated method).</param>
/// <param name="XRange">The x extent of the picture.</param>
/// <param name="YRange">The y extent of the picture.</param>
/// <param name="Minima">The known global minima.</param>
/// <param name="LearningRates">A learning rate per optimizer kind that walks this surface well.</param>
/// <param name="Steps">The step budget of a walk.</param>
public sealed record Surface(
    string Name, string Formula, Func<double, double, double> Value, GradientFunction Gradient,
    (double Min, double Max) XRange, (double Min, double Max) YRange, IReadOnlyList<Point> Minima,
    IReadOnlyDictionary<string, float> LearningRates, int Steps)
{
    /// <summary>The centre of the picture.</summary>
    public Point Centre => new((XRange.Min + XRange.Max) / 2, (YRange.Min + YRange.Max) / 2);

    /// <summary>
    /// <paramref name="count"/> starting points evenly spaced on a ring around the centre, at 80% of the way to the
    /// picture's edge, the first at 45°: deterministic, and spread over every side of the surface.
    /// </summary>
    public IReadOnlyList<Point> Starts(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var centre = Centre;
        double rx = 0.8 * (XRange.Max - XRange.Min) / 2, ry = 0.8 * (YRange.Max - YRange.Min) / 2;
        return Enumerable.Range(0, count)
            .Select(i => Math.PI / 4 + 2 * Math.PI * i / count)
            .Select(angle => new Point(centre.X + rx * Math.Cos(angle), centre.Y + ry * Math.Sin(angle)))
            .ToArray();
    }

    /// <summary>The known minimum nearest to <paramref name="point"/>.</summary>
    public Point NearestMinimum(Point point) => Minima.MinBy(point.DistanceTo);

    /// <summary>The surfaces this sample draws, by name.</summary>
    public static IReadOnlyList<Surface> All { get; } =
    [
        new("bowl", "x² + 5y²", Functions.Bowl, Functions.BowlGradient, (-3, 3), (-3, 3), [new(0, 0)],
            Rates(sgd: 0.05f, momentum: 0.02f, adam: 0.1f, varioEta: 0.05f), Steps: 400),
        new("rosenbrock", "(1 − x)² + 100 (y − x²)²", Functions.Rosenbrock, Functions.RosenbrockGradient, (-2, 2), (-1, 3), [new(1, 1)],
            Rates(sgd: 0.0015f, momentum: 0.001f, adam: 0.05f, varioEta: 0.001f), Steps: 10000),
        new("himmelblau", "(x² + y − 11)² + (x + y² − 7)²", Functions.Himmelblau, Functions.HimmelblauGradient, (-5, 5), (-5, 5),
            [new(3, 2), new(-2.805118, 3.131312), new(-3.779310, -3.283186), new(3.584428, -1.848126)],
            Rates(sgd: 0.01f, momentum: 0.002f, adam: 0.05f, varioEta: 0.005f), Steps: 1000),
    ];

    /// <summary>The surface called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No surface has that name.</exception>
    public static Surface Named(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown function '{name}'; expected {string.Join(", ", All.Select(s => s.Name))}.");

    private static Dictionary<string, float> Rates(float sgd, float momentum, float adam, float varioEta) =>
        new() { ["sgd"] = sgd, ["momentum"] = momentum, ["adam"] = adam, ["vario-eta"] = varioEta };
}
