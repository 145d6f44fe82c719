using System.Globalization;
using ScottPlot;

namespace AutoGrad.Plotting;

/// <summary>
/// Draws walks over a loss surface the way the lectures draw gradient descent: the surface seen from above as
/// filled contours (yellow high, dark blue low) with contour lines, arrows of steepest descent at a grid of
/// points (perpendicular to the lines), the walks from red starting dots, the known minima, and a legend with
/// each walk's final loss and steps.
/// </summary>
/// <remarks>
/// Colours and lines follow log(1 + f − min f) rather than f: the surfaces shown span several orders of
/// magnitude (Rosenbrock's reaches thousands where its valley is below one), and on a linear scale every basin
/// would be one flat colour. The x and y axes have the same scale, so the arrows meet the lines at right angles.
/// </remarks>
public static class DescentMap
{
    /// <summary>The colours of the first groups in <see cref="DescentScene.Tracks"/>, in order of appearance: they stand out on the colour map.</summary>
    public static IReadOnlyList<Color> GroupColours { get; } =
        [Color.FromHex("#e41a1c"), Color.FromHex("#ffffff"), Color.FromHex("#ff7f00"), Color.FromHex("#f781bf"), Color.FromHex("#a6d854"), Color.FromHex("#80b1d3")];

    private const int GridCells = 200, ContourLevels = 14, ArrowsPerSide = 13, LegendWidth = 400;
    private const int Left = 70, Top = 50, Bottom = 60;

    /// <summary>Saves the picture as SVG or PNG (by <paramref name="path"/>'s extension).</summary>
    /// <param name="path">A <c>.svg</c> or <c>.png</c> file.</param>
    /// <param name="scene">What to draw.</param>
    /// <param name="size">The width of the map's data area in pixels; the picture adds axes, title and legend around it.</param>
    /// <returns>The picture's width and height in pixels.</returns>
    public static (int Width, int Height) Save(string path, DescentScene scene, int size = 700)
    {
        var (plot, width, height) = Draw(scene, size, showTracks: true);
        ChartFile.Save(plot, path, width, height);
        return (width, height);
    }

    /// <summary>The picture as a ScottPlot plot with the pixel size it is laid out for.</summary>
    /// <param name="scene">What to draw.</param>
    /// <param name="size">The width of the map's data area in pixels.</param>
    /// <param name="showTracks">Whether to draw the walks' lines (the animation draws them itself; their legend entries stay).</param>
    public static (Plot Plot, int Width, int Height) Draw(DescentScene scene, int size = 700, bool showTracks = true)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 100);
        if (!(scene.X.Span > 0 && scene.Y.Span > 0)) throw new ArgumentException($"The picture's extent must have a positive width and height, not x {scene.X}, y {scene.Y}.", nameof(scene));
        ChartFile.UseProjectFont();
        var plot = new Plot();
        plot.Title(scene.Title);
        plot.XLabel("x");
        plot.YLabel("y");

        AddSurface(plot, scene);
        AddArrows(plot, scene);
        var colours = Colours(scene);
        foreach (var track in scene.Tracks)
        {
            var points = Thinned(track.Points, Math.Max(scene.X.Span, scene.Y.Span) / (2.0 * size));
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), colours[track.Group]);
            line.LineWidth = LineWidth(colours, track.Group);
            line.IsVisible = showTracks;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = Label(track), LineColor = colours[track.Group], LineWidth = 2 });
        }
        if (scene.Tracks.Count > 0)
        {
            var starts = plot.Add.Markers(scene.Tracks.Select(t => t.Points[0]).ToArray(), MarkerShape.FilledCircle, 9, Colors.Red);
            starts.MarkerLineColor = Colors.White;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "start", MarkerShape = MarkerShape.FilledCircle, MarkerFillColor = Colors.Red, MarkerSize = 9 });
        }
        if (scene.Minima.Count > 0)
        {
            var minima = plot.Add.Markers(scene.Minima.ToArray(), MarkerShape.Cross, 14, Colors.White);
            minima.MarkerLineWidth = 3;
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = scene.Minima.Count == 1 ? "minimum" : "minima", MarkerShape = MarkerShape.Cross, MarkerLineColor = Colors.White, MarkerSize = 12, MarkerLineWidth = 3 });
        }

        plot.ShowLegend(Edge.Right);
        // A dark legend, so the white and light walk colours that stand out on the map stand out in it too.
        plot.Legend.FontSize = 12;
        plot.Legend.BackgroundColor = Color.FromHex("#303030");
        plot.Legend.FontColor = Colors.White;
        plot.HideGrid();
        plot.Axes.SetLimits(scene.X.Min, scene.X.Max, scene.Y.Min, scene.Y.Max);
        // The data area has the extent's shape, so x and y share one scale.
        int mapHeight = (int)Math.Round(size * scene.Y.Span / scene.X.Span);
        plot.Layout.Fixed(new PixelPadding(left: Left, right: LegendWidth, bottom: Bottom, top: Top));
        return (plot, Left + size + LegendWidth, Top + mapHeight + Bottom);
    }

    /// <summary>The legend text of a walk: its group, start, final loss and steps.</summary>
    public static string Label(DescentTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var start = track.Points[0];
        return string.Create(CultureInfo.InvariantCulture, $"{track.Group} ({start.X:0.##}, {start.Y:0.##}): {track.FinalLoss:0.##E+0} in {track.Steps} steps");
    }

    /// <summary>
    /// Walks of different optimizers often run along the same line (a valley floor, a bowl's axis); each group is
    /// drawn narrower than the one before, on top of it, so those beneath still show at its sides.
    /// </summary>
    internal static float LineWidth(Dictionary<string, Color> colours, string group) =>
        2 + 1.5f * (colours.Count - 1 - colours.Keys.ToList().IndexOf(group));

    /// <summary>A colour per group of tracks, in order of first appearance.</summary>
    internal static Dictionary<string, Color> Colours(DescentScene scene)
    {
        var colours = new Dictionary<string, Color>();
        foreach (var track in scene.Tracks)
        {
            if (!colours.ContainsKey(track.Group)) colours[track.Group] = GroupColours[colours.Count % GroupColours.Count];
        }
        return colours;
    }

    /// <summary>Drops positions closer than <paramref name="spacing"/> to the last kept one (a walk of 10,000 steps that settles draws as a few hundred points); keeps the last.</summary>
    internal static IReadOnlyList<Coordinates> Thinned(IReadOnlyList<Coordinates> points, double spacing)
    {
        var kept = new List<Coordinates> { points[0] };
        for (int i = 1; i < points.Count; i++)
        {
            if (points[i].Distance(kept[^1]) >= spacing || i == points.Count - 1) kept.Add(points[i]);
        }
        return kept;
    }

    private static void AddSurface(Plot plot, DescentScene scene)
    {
        // Cell centres on a regular grid; the heat map's row 0 is its top row, the contour grid's row 0 its bottom.
        var heights = new double[GridCells, GridCells];
        var grid = new Coordinates3d[GridCells, GridCells];
        double min = double.PositiveInfinity;
        for (int row = 0; row < GridCells; row++)
        {
            for (int column = 0; column < GridCells; column++)
            {
                double x = scene.X.Min + (column + 0.5) * scene.X.Span / GridCells, y = scene.Y.Min + (row + 0.5) * scene.Y.Span / GridCells;
                double value = scene.Value(x, y);
                grid[row, column] = new Coordinates3d(x, y, value);
                if (value < min) min = value;
            }
        }
        double max = double.NegativeInfinity;
        for (int row = 0; row < GridCells; row++)
        {
            for (int column = 0; column < GridCells; column++)
            {
                double level = Math.Log(1 + Math.Max(0, grid[row, column].Z - min));
                grid[row, column] = grid[row, column] with { Z = level };
                if (level > max) max = level;
            }
        }
        // Filled contours: the heat map's colour is constant between two contour levels.
        double band = max / ContourLevels;
        for (int row = 0; row < GridCells; row++)
        {
            for (int column = 0; column < GridCells; column++)
                heights[GridCells - 1 - row, column] = band > 0 ? (Math.Floor(grid[row, column].Z / band) + 0.5) * band : 0;
        }
        var heatmap = plot.Add.Heatmap(heights);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(scene.X.Min, scene.X.Max, scene.Y.Min, scene.Y.Max);
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(max, 1e-12));

        if (band > 0)
        {
            var lines = plot.Add.ContourLines(grid);
            lines.ContourLineLevels = Enumerable.Range(1, ContourLevels - 1).Select(i => i * band).ToArray();
            lines.Update(grid);
            lines.LineColor = Colors.Black.WithAlpha(0.45);
            lines.LineWidth = 1;
            lines.LabelStyle.IsVisible = false;
        }
    }

    private static void AddArrows(Plot plot, DescentScene scene)
    {
        double cell = Math.Min(scene.X.Span, scene.Y.Span) / ArrowsPerSide, length = 0.6 * cell;
        var colour = Colors.White.WithAlpha(0.75);
        int columns = (int)Math.Round(scene.X.Span / cell), rows = (int)Math.Round(scene.Y.Span / cell);
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                double x = scene.X.Min + (column + 0.5) * scene.X.Span / columns, y = scene.Y.Min + (row + 0.5) * scene.Y.Span / rows;
                var (dx, dy) = scene.Gradient(x, y);
                double norm = Math.Sqrt(dx * dx + dy * dy);
                if (!(norm > 1e-12) || !double.IsFinite(norm)) continue;
                // −∇f, the direction of steepest descent, centred on the grid point.
                double ux = -dx / norm * length / 2, uy = -dy / norm * length / 2;
                var arrow = plot.Add.Arrow(new Coordinates(x - ux, y - uy), new Coordinates(x + ux, y + uy));
                arrow.ArrowFillColor = colour;
                arrow.ArrowLineWidth = 0;
                arrow.ArrowWidth = 1.5f;
                arrow.ArrowheadLength = 7;
                arrow.ArrowheadAxisLength = 7;
                arrow.ArrowheadWidth = 6;
            }
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "−∇f: steepest descent, across the lines", LineColor = colour, LineWidth = 1.5f });
    }
}
