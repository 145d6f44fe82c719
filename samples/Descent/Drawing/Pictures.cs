using AutoGrad.Plotting;
using ScottPlot;

namespace Descent;

/// <summary>Turns a surface and its walks into what the plotting project draws.</summary>
public static class Pictures
{
    /// <summary>The scene: the surface, its gradient arrows' field, every walk grouped by optimizer, the known minima.</summary>
    public static DescentScene Scene(Surface surface, IReadOnlyList<DescentPath> paths, SchedulePlan plan)
    {
        ArgumentNullException.ThrowIfNull(surface);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(plan);
        string schedule = plan.Kind.Equals("constant", StringComparison.OrdinalIgnoreCase) && plan.Warmup == 0
            ? ""
            : $", {plan.Kind} schedule{(plan.Warmup > 0 ? $" after {plan.Warmup} warm-up steps" : "")}";
        return new DescentScene(
            $"{char.ToUpperInvariant(surface.Name[0])}{surface.Name[1..]}: f = {surface.Formula}{schedule}",
            surface.Value,
            (x, y) =>
            {
                surface.Gradient(x, y, out double dx, out double dy);
                return (dx, dy);
            },
            new CoordinateRange(surface.XRange.Min, surface.XRange.Max),
            new CoordinateRange(surface.YRange.Min, surface.YRange.Max),
            paths.Select(p => new DescentTrack(p.Optimizer, p.Points.Select(q => new Coordinates(q.X, q.Y)).ToArray(), p.FinalLoss)).ToArray(),
            surface.Minima.Select(m => new Coordinates(m.X, m.Y)).ToArray());
    }
}
