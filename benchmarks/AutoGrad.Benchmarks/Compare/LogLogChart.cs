using System.Globalization;
using System.Security;
using System.Text;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One line on a chart: its legend label, colour and points.</summary>
public sealed record ChartSeries(string Label, string Color, double[] X, double[] Y);

/// <summary>A hand-written SVG line chart with logarithmic axes, decade grid lines and a legend.</summary>
public sealed class LogLogChart(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
{
    private const double Width = 520, Height = 380;
    private const double Left = 70, Right = 20, Top = 40, Bottom = 55;

    /// <summary>The charts side by side in one SVG document.</summary>
    public static string Document(IReadOnlyList<LogLogChart> charts)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width * charts.Count}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < charts.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({Width * i},0)\">\n");
            charts[i].Render(svg);
            svg.Append("</g>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private void Render(StringBuilder svg)
    {
        var xs = series.SelectMany(s => s.X).Where(v => v > 0).ToArray();
        var ys = series.SelectMany(s => s.Y).Where(v => v > 0).ToArray();
        double xMin = Math.Floor(Math.Log10(xs.Min())), xMax = Math.Ceiling(Math.Log10(xs.Max()));
        double yMin = Math.Floor(Math.Log10(ys.Min())), yMax = Math.Ceiling(Math.Log10(ys.Max()));
        if (xMax == xMin) xMax++;
        if (yMax == yMin) yMax++;
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(double v) => Left + (Math.Log10(v) - xMin) / (xMax - xMin) * plotWidth;
        double Y(double v) => Top + plotHeight - (Math.Log10(v) - yMin) / (yMax - yMin) * plotHeight;

        Text(svg, Width / 2, 22, Escape(title), "middle", "font-size=\"14\" font-weight=\"bold\"");
        Line(svg, Left, Top, Left, Top + plotHeight, "black");
        Line(svg, Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, "black");
        for (double e = xMin; e <= xMax; e++)
        {
            double x = X(Math.Pow(10, e));
            Line(svg, x, Top, x, Top + plotHeight, "#dddddd");
            Text(svg, x, Top + plotHeight + 16, Decade(e), "middle");
        }
        for (double e = yMin; e <= yMax; e++)
        {
            double y = Y(Math.Pow(10, e));
            Line(svg, Left, y, Left + plotWidth, y, "#dddddd");
            Text(svg, Left - 6, y + 4, Decade(e), "end");
        }
        Text(svg, Left + plotWidth / 2, Height - 12, Escape(xLabel) + " (log scale)", "middle");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"16\" y=\"{Top + plotHeight / 2:0.#}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Top + plotHeight / 2:0.#})\">{Escape(yLabel)} (log scale)</text>\n");

        for (int s = 0; s < series.Count; s++)
        {
            ChartSeries line = series[s];
            var path = new StringBuilder();
            for (int i = 0; i < line.X.Length; i++)
            {
                if (line.X[i] <= 0 || line.Y[i] <= 0) continue;
                path.Append(CultureInfo.InvariantCulture, $"{(path.Length == 0 ? "M" : " L")}{X(line.X[i]):0.#},{Y(line.Y[i]):0.#}");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{X(line.X[i]):0.#}\" cy=\"{Y(line.Y[i]):0.#}\" r=\"3\" fill=\"{line.Color}\"/>\n");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\"/>\n");
            double legendY = Top + 12 + 18 * s;
            Line(svg, Left + 12, legendY - 4, Left + 36, legendY - 4, line.Color, 2);
            Text(svg, Left + 42, legendY, Escape(line.Label), "start");
        }
    }

    private static string Decade(double exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "1e" + exponent.ToString(CultureInfo.InvariantCulture),
    };

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void Line(StringBuilder svg, double x1, double y1, double x2, double y2, string color, double width = 1) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\" stroke=\"{color}\" stroke-width=\"{width}\"/>\n");

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, string extra = "") =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" {extra}>{text}</text>\n");
}
