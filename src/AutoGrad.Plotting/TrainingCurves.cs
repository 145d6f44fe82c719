using System.Globalization;
using System.Text;
using AutoGrad.IO;
using AutoGrad.NN;
using ScottPlot;

namespace AutoGrad.Plotting;

/// <summary>Writes a training history as a CSV table and as a chart: loss, accuracy and, when known, the learning rate, over the epochs.</summary>
public static class TrainingCurves
{
    private static readonly Color TrainColour = Color.FromHex("#1f77b4");
    private static readonly Color ValidationColour = Color.FromHex("#d62728");
    private static readonly Color RateColour = Color.FromHex("#2ca02c");

    /// <summary>
    /// Writes one row per epoch: <c>epoch,train_loss,train_accuracy,validation_accuracy,steps,seconds,samples_per_second,learning_rate</c>.
    /// Unmeasured values are empty cells.
    /// </summary>
    /// <param name="path">The CSV file to write.</param>
    /// <param name="history">The epochs, in order.</param>
    public static void WriteCsv(string path, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(ToCsv(history)));
    }

    /// <summary>The CSV text that <see cref="WriteCsv"/> writes.</summary>
    /// <param name="history">The epochs, in order.</param>
    public static string ToCsv(IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var csv = new StringBuilder("epoch,train_loss,train_accuracy,validation_accuracy,steps,seconds,samples_per_second,learning_rate\n");
        foreach (var e in history)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{e.Epoch},{Cell(e.TrainLoss)},{Cell(e.TrainAccuracy)},{Cell(e.ValidationAccuracy)},{e.Steps},{Cell(e.Elapsed.TotalSeconds)},{Cell(e.SamplesPerSecond)},{Cell(e.LearningRate)}\n");
        }
        return csv.ToString();

        static string Cell(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    /// <summary>
    /// Saves the chart as SVG or PNG (by <paramref name="path"/>'s extension): panels sharing the epoch axis,
    /// training loss; training and validation accuracy; and, when the history records it, the learning rate at
    /// each epoch's end. Each legend lies right of its panel, so it never covers a curve.
    /// </summary>
    /// <param name="path">A <c>.svg</c> or <c>.png</c> file.</param>
    /// <param name="history">The epochs, in order.</param>
    /// <param name="title">The chart's title; name the data set in it.</param>
    public static void Save(string path, IReadOnlyList<EpochMetrics> history, string title)
    {
        var chart = Chart(history, title);
        ChartFile.Save(chart, path, Width, PanelHeight * chart.Subplots.Count);
    }

    private const int Width = 940, PanelHeight = 320;

    /// <summary>The panels, ready to save (<see cref="ChartFile"/>) or to show.</summary>
    /// <param name="history">The epochs, in order.</param>
    /// <param name="title">The chart's title; name the data set in it.</param>
    public static Multiplot Chart(IReadOnlyList<EpochMetrics> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(title);
        ChartFile.UseProjectFont();
        double[] epochs = [.. history.Select(e => (double)e.Epoch)];

        var loss = new Plot();
        loss.Title(title);
        loss.YLabel("Loss");
        AddSeries(loss, "train loss", TrainColour, epochs, history.Select(e => e.TrainLoss));

        var accuracy = new Plot();
        accuracy.YLabel("Accuracy");
        if (history.Any(e => double.IsFinite(e.TrainAccuracy)))
            AddSeries(accuracy, "train accuracy", TrainColour, epochs, history.Select(e => e.TrainAccuracy));
        if (history.Any(e => double.IsFinite(e.ValidationAccuracy)))
            AddSeries(accuracy, "validation accuracy", ValidationColour, epochs, history.Select(e => e.ValidationAccuracy));

        List<Plot> panels = [loss, accuracy];
        if (history.Any(e => double.IsFinite(e.LearningRate)))
        {
            var rate = new Plot();
            rate.YLabel("Learning rate");
            AddSeries(rate, "learning rate", RateColour, epochs, history.Select(e => e.LearningRate));
            panels.Add(rate);
        }
        panels[^1].XLabel("Epoch");

        for (int i = 0; i < panels.Count; i++)
        {
            // The same left and right margins in every panel line their data areas up on the shared epoch
            // axis; the wide right margin holds the legends outside the data.
            panels[i].Layout.Fixed(new PixelPadding(left: 80, right: 220, bottom: i == panels.Count - 1 ? 50 : 30, top: i == 0 ? 50 : 20));
            panels[i].ShowLegend(Edge.Right);
            panels[i].Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            if (epochs.Length > 0) panels[i].Axes.SetLimitsX(epochs.Min() - 0.5, epochs.Max() + 0.5);
        }

        var chart = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1)) chart.AddPlot(panel);
        chart.SharedAxes.ShareX(panels);
        return chart;
    }

    private static void AddSeries(Plot plot, string label, Color colour, double[] epochs, IEnumerable<double> values)
    {
        // Unmeasured epochs (NaN) are left out rather than drawn as gaps in a line.
        var points = epochs.Zip(values).Where(p => double.IsFinite(p.Second)).ToArray();
        if (points.Length == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), colour);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 6;
    }
}
