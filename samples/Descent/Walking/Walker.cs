using AutoGrad.NN;

namespace Descent;

/// <summary>One optimizer's walk from one start.</summary>
/// <param name="Optimizer">The optimizer's kind.</param>
/// <param name="Points">Every position, the start first.</param>
/// <param name="FinalLoss">f at the last point.</param>
/// <param name="Converged">Whether the gradient's norm fell below the tolerance (otherwise the step budget ran out, or it diverged).</param>
/// <param name="Diverged">Whether the walk left the finite numbers and was stopped.</param>
public sealed record DescentPath(string Optimizer, IReadOnlyList<Point> Points, double FinalLoss, bool Converged, bool Diverged)
{
    /// <summary>Where the walk started.</summary>
    public Point Start => Points[0];

    /// <summary>Where it ended.</summary>
    public Point End => Points[^1];

    /// <summary>The optimizer steps taken.</summary>
    public int Steps => Points.Count - 1;
}

/// <summary>Walks a surface with one of the runtime's optimizers, fed by the surface's generated gradient.</summary>
public static class Walker
{
    /// <summary>The gradient norm below which a walk has arrived.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Takes up to <paramref name="maxSteps"/> steps of <paramref name="optimizer"/> from <paramref name="start"/>, stopping
    /// early when the gradient's norm falls below <see cref="Tolerance"/> or the position or loss stops being finite.
    /// </summary>
    public static DescentPath Walk(Surface surface, Optimizer optimizer, Point start, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(surface);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSteps);
        if (optimizer.ParameterCount != 2) throw new ArgumentException($"A surface has 2 parameters; this optimizer was made for {optimizer.ParameterCount}.", nameof(optimizer));
        float[] position = [(float)start.X, (float)start.Y];
        float[] gradient = new float[2];
        var points = new List<Point>(Math.Min(maxSteps, 100_000) + 1) { start };
        double loss = surface.Value(position[0], position[1]);
        for (int step = 0; step < maxSteps; step++)
        {
            loss = surface.Gradient(position[0], position[1], out double dx, out double dy);
            if (!double.IsFinite(loss) || !double.IsFinite(dx) || !double.IsFinite(dy))
                return new DescentPath(optimizer.Kind, points, loss, Converged: false, Diverged: true);
            if (Math.Sqrt(dx * dx + dy * dy) < Tolerance)
                return new DescentPath(optimizer.Kind, points, loss, Converged: true, Diverged: false);
            gradient[0] = (float)dx;
            gradient[1] = (float)dy;
            optimizer.Step(position, gradient);
            if (!float.IsFinite(position[0]) || !float.IsFinite(position[1]))
                return new DescentPath(optimizer.Kind, points, double.NaN, Converged: false, Diverged: true);
            points.Add(new Point(position[0], position[1]));
        }
        loss = surface.Value(position[0], position[1]);
        return new DescentPath(optimizer.Kind, points, loss, Converged: false, Diverged: !double.IsFinite(loss));
    }
}
