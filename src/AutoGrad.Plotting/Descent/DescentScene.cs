using ScottPlot;

namespace AutoGrad.Plotting;

/// <summary>One walk over a surface: the optimizer's positions, start first.</summary>
/// <param name="Group">What drew it, such as the optimizer's name; walks of one group share a colour.</param>
/// <param name="Points">Every position, the start first.</param>
/// <param name="FinalLoss">The surface's value at the last position.</param>
public sealed record DescentTrack(string Group, IReadOnlyList<Coordinates> Points, double FinalLoss)
{
    /// <summary>The steps taken: one fewer than the positions.</summary>
    public int Steps => Points.Count - 1;
}

/// <summary>A surface of two variables, the walks over it, and what the picture marks.</summary>
/// <param name="Title">The picture's title (name the function in it).</param>
/// <param name="Value">f(x, y).</param>
/// <param name="Gradient">∇f(x, y).</param>
/// <param name="X">The x extent of the picture.</param>
/// <param name="Y">The y extent of the picture.</param>
/// <param name="Tracks">The walks.</param>
/// <param name="Minima">Known minima, marked with a cross.</param>
public sealed record DescentScene(
    string Title, Func<double, double, double> Value, Func<double, double, (double Dx, double Dy)> Gradient,
    CoordinateRange X, CoordinateRange Y, IReadOnlyList<DescentTrack> Tracks, IReadOnlyList<Coordinates> Minima);
