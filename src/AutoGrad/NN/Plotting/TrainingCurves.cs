using System.Globalization;
using System.Security;
using System.Text;

namespace AutoGrad.NN;

/// <summary>Writes a training history as a CSV table and as an SVG chart (loss, accuracy and, when known, the learning rate, over the epochs).</summary>
public static class TrainingCurves
{
    private const string TrainColour = "#1f77b4";
    private const string ValidationColour = "#d62728";
    private const string RateColour = "#2ca02c";

    /// <summary>
    /// Writes one row per epoch: <c>epoch,train_loss,train_accuracy,validation_accuracy,steps,seconds,samples_per_second,learning_rate</c>.
    /// Unmeasured values are empty cells.
    /// </summary>
    /// <param name="path">The CSV file to write.</param>
    /// <param name="history">The epochs, in order.</param>
    public static void WriteCsv(string path, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToCsv(history));
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

    /// <summary>Writes the chart that <see cref="ToSvg"/> draws.</summary>
    /// <param name="path">The SVG file to write.</param>
    /// <param name="history">The epochs, in order.</param>
    /// <param name="title">The chart's title.</param>
    public static void WriteSvg(string path, IReadOnlyList<EpochMetrics> history, string title = "Training curves")
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToSvg(history, title));
    }

    /// <summary>
    /// A self-contained SVG document with panels sharing the epoch axis: training loss; training and
    /// validation accuracy; and, when the history records it, the learning rate at each epoch's end.
    /// Each panel has axes, tick labels, grid lines and a legend.
    /// </summary>
    /// <param name="history">The epochs, in order.</param>
    /// <param name="title">The chart's title.</param>
    public static string ToSvg(IReadOnlyList<EpochMetrics> history, string title = "Training curves")
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(title);
        bool showRate = history.Any(e => double.IsFinite(e.LearningRate));
        const int width = 760, left = 80, right = 30, panelHeight = 220, panelPitch = 280;
        int height = showRate ? 620 + panelPitch : 620;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n");

        var epochs = history.Select(e => (double)e.Epoch).ToArray();
        var xRange = epochs.Length == 0 ? (0.0, 1.0) : epochs.Length == 1 ? (epochs[0] - 1, epochs[0] + 1) : (epochs.Min(), epochs.Max());
        var frame = new Frame(left, width - right, 0, 0);

        var loss = new Series("train loss", TrainColour, history.Select(e => e.TrainLoss).ToArray());
        DrawPanel(svg, frame with { Top = 60, Bottom = 60 + panelHeight }, "Loss", epochs, xRange, [loss], clampUnit: false);

        var accuracies = new List<Series>();
        if (history.Any(e => double.IsFinite(e.TrainAccuracy))) accuracies.Add(new Series("train accuracy", TrainColour, history.Select(e => e.TrainAccuracy).ToArray()));
        if (history.Any(e => double.IsFinite(e.ValidationAccuracy))) accuracies.Add(new Series("validation accuracy", ValidationColour, history.Select(e => e.ValidationAccuracy).ToArray()));
        DrawPanel(svg, frame with { Top = 340, Bottom = 340 + panelHeight }, "Accuracy", epochs, xRange, accuracies, clampUnit: true);
        if (showRate)
        {
            var rate = new Series("learning rate", RateColour, history.Select(e => e.LearningRate).ToArray());
            DrawPanel(svg, frame with { Top = 340 + panelPitch, Bottom = 340 + panelPitch + panelHeight }, "Learning rate", epochs, xRange, [rate], clampUnit: false);
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + width - right) / 2}\" y=\"{height - 12}\" text-anchor=\"middle\" font-size=\"13\">Epoch</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private readonly record struct Frame(double Left, double Right, double Top, double Bottom);

    private sealed record Series(string Name, string Colour, double[] Values);

    private static void DrawPanel(StringBuilder svg, Frame frame, string label, double[] epochs, (double Min, double Max) xRange, IReadOnlyList<Series> series, bool clampUnit)
    {
        var finite = series.SelectMany(s => s.Values).Where(double.IsFinite).ToArray();
        double yMin = finite.Length == 0 ? 0 : finite.Min(), yMax = finite.Length == 0 ? 1 : finite.Max();
        if (yMax - yMin < 1e-9)
        {
            // A flat line of small values (a constant learning rate) keeps its own scale.
            double pad = yMax != 0 ? Math.Abs(yMax) * 0.1 : 0.01;
            yMin -= pad;
            yMax += pad;
        }
        double yStep = NiceStep(yMax - yMin, 5);
        yMin = Math.Floor(yMin / yStep) * yStep;
        yMax = Math.Ceiling(yMax / yStep) * yStep;
        if (clampUnit)
        {
            yMin = Math.Max(0, yMin);
            yMax = Math.Min(1, yMax);
        }
        double xStep = Math.Max(1, NiceStep(xRange.Max - xRange.Min, 8));

        double X(double epoch) => frame.Left + (epoch - xRange.Min) / (xRange.Max - xRange.Min) * (frame.Right - frame.Left);
        double Y(double value) => frame.Bottom - (value - yMin) / (yMax - yMin) * (frame.Bottom - frame.Top);

        // Grid and y ticks.
        for (double tick = yMin; tick <= yMax + yStep / 1000; tick += yStep)
        {
            double y = Y(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{frame.Left:F1}\" y1=\"{y:F1}\" x2=\"{frame.Right:F1}\" y2=\"{y:F1}\" stroke=\"#e5e5e5\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{frame.Left - 8:F1}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{FormatTick(tick, yStep)}</text>\n");
        }
        // x ticks.
        for (double tick = Math.Ceiling(xRange.Min / xStep) * xStep; tick <= xRange.Max + 1e-9; tick += xStep)
        {
            double x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{frame.Bottom:F1}\" x2=\"{x:F1}\" y2=\"{frame.Bottom + 5:F1}\" stroke=\"#333\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{frame.Bottom + 19:F1}\" text-anchor=\"middle\">{FormatTick(tick, xStep)}</text>\n");
        }
        // Axes and the panel's label.
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{frame.Left:F1},{frame.Top:F1} {frame.Left:F1},{frame.Bottom:F1} {frame.Right:F1},{frame.Bottom:F1}\" fill=\"none\" stroke=\"#333\"/>\n");
        double middle = (frame.Top + frame.Bottom) / 2;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{frame.Left - 58:F1}\" y=\"{middle:F1}\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 {frame.Left - 58:F1} {middle:F1})\">{label}</text>\n");

        foreach (var s in series)
        {
            var points = string.Join(" ", s.Values.Select((v, i) => (v, i)).Where(p => double.IsFinite(p.v))
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(epochs[p.i]):F1},{Y(p.v):F1}")));
            if (points.Length == 0) continue;
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n");
            for (int i = 0; i < s.Values.Length; i++)
            {
                if (double.IsFinite(s.Values[i]))
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(epochs[i]):F1}\" cy=\"{Y(s.Values[i]):F1}\" r=\"3\" fill=\"{s.Colour}\"/>\n");
            }
        }

        // Legend, top right inside the panel, on a white box so lines beneath stay readable.
        if (series.Count == 0) return;
        double legendWidth = 24 + 7 * series.Max(s => s.Name.Length) + 12, legendX = frame.Right - legendWidth - 8, legendY = frame.Top + 8;
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{legendX:F1}\" y=\"{legendY:F1}\" width=\"{legendWidth:F1}\" height=\"{series.Count * 18 + 8}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#ccc\"/>\n");
        for (int i = 0; i < series.Count; i++)
        {
            double y = legendY + 16 + i * 18;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{legendX + 6:F1}\" y1=\"{y - 4:F1}\" x2=\"{legendX + 24:F1}\" y2=\"{y - 4:F1}\" stroke=\"{series[i].Colour}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 30:F1}\" y=\"{y:F1}\">{SecurityElement.Escape(series[i].Name)}</text>\n");
        }
    }

    /// <summary>A round step (1, 2 or 5 times a power of ten) that cuts <paramref name="range"/> into about <paramref name="ticks"/> parts.</summary>
    internal static double NiceStep(double range, int ticks)
    {
        if (!(range > 0)) return 1;
        double raw = range / ticks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalised = raw / magnitude;
        return (normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10) * magnitude;
    }

    private static string FormatTick(double value, double step)
    {
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        return Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
