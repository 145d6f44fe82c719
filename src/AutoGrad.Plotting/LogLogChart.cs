using System.Globalization;
using ScottPlot;

namespace AutoGrad.Plotting;

/// <summary>One line on a <see cref="LogLogChart"/>: its legend label, colour (<c>#rrggbb</c>) and points.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Color">The line's colour as <c>#rrggbb</c>.</param>
/// <param name="X">The x values; points where x or y is not positive are off a log scale and left out.</param>
/// <param name="Y">The y values, one per x.</param>
public sealed record ChartSeries(string Label, string Color, double[] X, double[] Y);

/// <summary>
/// Line charts with logarithmic axes (decade ticks labelled 1, 10, 1e2, ...), laid side by side and saved
/// as SVG or PNG: how a cost grows with a size, as the benchmarks' scaling sweep draws it.
/// </summary>
public static class LogLogChart
{
    /// <summary>The size of one chart in pixels; a file of several is this wide for each.</summary>
    public const int Width = 520, Height = 380;

    /// <summary>One chart: the series drawn with markers, the decades of both axes as grid lines, the legend inside at the upper left.</summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="xLabel">The x axis's label; "(log scale)" is added.</param>
    /// <param name="yLabel">The y axis's label; "(log scale)" is added.</param>
    /// <param name="series">The lines. One with no drawable point still gets its legend entry.</param>
    public static Plot Chart(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        ChartFile.UseProjectFont();
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel + " (log scale)");
        plot.YLabel(yLabel + " (log scale)");
        foreach (ChartSeries line in series)
        {
            ArgumentNullException.ThrowIfNull(line);
            if (line.X.Length != line.Y.Length) throw new ArgumentException($"Series '{line.Label}' has {line.X.Length} x values and {line.Y.Length} y values.", nameof(series));
            var colour = Color.FromHex(line.Color);
            // The data are drawn as their base-10 logarithms on linear axes whose tick labels undo it.
            var points = line.X.Zip(line.Y).Where(p => p.First > 0 && p.Second > 0).ToArray();
            if (points.Length == 0)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = line.Label, LineColor = colour, LineWidth = 2 });
                continue;
            }
            var scatter = plot.Add.Scatter(points.Select(p => Math.Log10(p.First)).ToArray(), points.Select(p => Math.Log10(p.Second)).ToArray(), colour);
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
        }
        plot.Axes.Bottom.TickGenerator = DecadeTicks();
        plot.Axes.Left.TickGenerator = DecadeTicks();
        // Whole decades at both ends, as a log-scale reader expects.
        var limits = plot.Axes.GetLimits();
        if (double.IsFinite(limits.Left) && double.IsFinite(limits.Bottom))
        {
            var (left, right) = Decades(limits.Left, limits.Right);
            var (bottom, top) = Decades(limits.Bottom, limits.Top);
            plot.Axes.SetLimits(left, right, bottom, top);
        }
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Saves the charts side by side (<see cref="Width"/> x <see cref="Height"/> each) as SVG or PNG, by the path's extension.</summary>
    /// <param name="path">A <c>.svg</c> or <c>.png</c> file.</param>
    /// <param name="charts">The charts, left to right.</param>
    public static void Save(string path, IReadOnlyList<Plot> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Count == 0) throw new ArgumentException("There is no chart to save.", nameof(charts));
        var multiplot = new Multiplot(charts[0]) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        foreach (Plot chart in charts.Skip(1)) multiplot.AddPlot(chart);
        ChartFile.Save(multiplot, path, Width * charts.Count, Height);
    }

    /// <summary>The label of the decade 10^<paramref name="exponent"/>: 1, 10, then 1e2, 1e3, ...</summary>
    public static string DecadeLabel(double exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "1e" + exponent.ToString("0", CultureInfo.InvariantCulture),
    };

    private static ScottPlot.TickGenerators.NumericAutomatic DecadeTicks() => new()
    {
        IntegerTicksOnly = true,
        LabelFormatter = DecadeLabel,
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
    };

    private static (double Low, double High) Decades(double low, double high)
    {
        double floor = Math.Floor(low), ceiling = Math.Ceiling(high);
        return (floor, ceiling == floor ? floor + 1 : ceiling);
    }
}
