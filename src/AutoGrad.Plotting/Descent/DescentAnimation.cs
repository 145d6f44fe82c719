using AutoGrad.IO;
using System.Globalization;
using System.Security;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace AutoGrad.Plotting;

/// <summary>
/// The walks of a <see cref="DescentScene"/> as an animated SVG: the map of <see cref="DescentMap"/> with every walk
/// drawing itself from its start, a dot at its head, all walks taking their steps together; it holds the
/// finished picture for a moment and starts again. Browsers play it (SMIL animation); no script is involved.
/// </summary>
public static class DescentAnimation
{
    private const int Frames = 90;
    private const double HoldFraction = 0.2;

    /// <summary>Saves the animation.</summary>
    /// <param name="path">An <c>.svg</c> file.</param>
    /// <param name="scene">What to draw.</param>
    /// <param name="seconds">How long the walks take, before the pause at the end.</param>
    /// <param name="size">The width of the map's data area in pixels, as in <see cref="DescentMap.Save"/>.</param>
    /// <returns>The picture's width and height in pixels.</returns>
    public static (int Width, int Height) SaveSvg(string path, DescentScene scene, double seconds = 8, int size = 700)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(scene);
        if (!Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"An animation is saved as .svg; '{path}' is not.", nameof(path));
        if (!(seconds > 0 && double.IsFinite(seconds))) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "The duration must be a positive number of seconds.");
        var (plot, width, height) = DescentMap.Draw(scene, size, showTracks: false);
        string background = RenderSvg(plot, width, height);
        string walks = Walks(plot, scene, seconds, size);
        int end = background.LastIndexOf("</svg>", StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException("The rendered background is not a complete SVG document.");
        string document = string.Concat(background.AsSpan(0, end), walks, background.AsSpan(end));
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(document)));
        return (width, height);
    }

    private static string RenderSvg(Plot plot, int width, int height)
    {
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
            plot.Render(canvas, new PixelRect(0, width, height, 0));
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// One group per walk, clipped to the map: a polyline revealed by animating its dash offset, and a dot moved
    /// along it. Time runs as the square root of the step count, so the first, largest steps are not a blur.
    /// </summary>
    private static string Walks(Plot plot, DescentScene scene, double seconds, int size)
    {
        var data = plot.RenderManager.LastRender.DataRect;
        var colours = DescentMap.Colours(scene);
        int longest = Math.Max(1, scene.Tracks.Count == 0 ? 1 : scene.Tracks.Max(t => t.Steps));
        double total = seconds / (1 - HoldFraction);
        string keyTimes = string.Join(";", Enumerable.Range(0, Frames + 1).Select(f => Number(f * (1 - HoldFraction) / Frames)).Append("1"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<defs><clipPath id=\"descent-map\"><rect x=\"{Number(data.Left)}\" y=\"{Number(data.Top)}\" width=\"{Number(data.Width)}\" height=\"{Number(data.Height)}\"/></clipPath></defs>\n");
        svg.Append("<g clip-path=\"url(#descent-map)\" fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n");
        foreach (var track in scene.Tracks)
        {
            // Positions in pixels, thinned to about one per pixel, each with the step it was reached at.
            var pixels = new List<(Pixel Pixel, int Step)>();
            for (int step = 0; step < track.Points.Count; step++)
            {
                var pixel = plot.GetPixel(track.Points[step]);
                if (pixels.Count == 0 || step == track.Points.Count - 1 || Distance(pixel, pixels[^1].Pixel) >= 1) pixels.Add((pixel, step));
            }
            var along = new double[pixels.Count];
            for (int i = 1; i < pixels.Count; i++) along[i] = along[i - 1] + Distance(pixels[i].Pixel, pixels[i - 1].Pixel);
            double length = Math.Max(along[^1], 1e-3);

            var offsets = new List<string>();
            var xs = new List<string>();
            var ys = new List<string>();
            int index = 0;
            for (int frame = 0; frame <= Frames; frame++)
            {
                double fraction = (double)frame / Frames;
                double stepNow = Math.Min(track.Steps, fraction * fraction * longest);
                while (index < pixels.Count - 1 && pixels[index + 1].Step <= stepNow) index++;
                double drawn = along[index];
                var head = pixels[index].Pixel;
                if (index < pixels.Count - 1)
                {
                    // Part of the way along the next thinned segment.
                    var (next, nextStep) = pixels[index + 1];
                    double t = (stepNow - pixels[index].Step) / (nextStep - pixels[index].Step);
                    drawn += t * (along[index + 1] - along[index]);
                    head = new Pixel(head.X + t * (next.X - head.X), head.Y + t * (next.Y - head.Y));
                }
                offsets.Add(Number(length - drawn));
                xs.Add(Number(head.X));
                ys.Add(Number(head.Y));
            }
            // The held frame repeats the last.
            offsets.Add(offsets[^1]);
            xs.Add(xs[^1]);
            ys.Add(ys[^1]);

            string colour = colours[track.Group].ToHex();
            string points = string.Join(" ", pixels.Select(p => $"{Number(p.Pixel.X)},{Number(p.Pixel.Y)}"));
            string timing = string.Create(CultureInfo.InvariantCulture, $"dur=\"{total:0.###}s\" repeatCount=\"indefinite\" keyTimes=\"{keyTimes}\"");
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{SecurityElement.Escape(DescentMap.Label(track))}</title>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"<polyline points=\"{points}\" stroke=\"{colour}\" stroke-width=\"{Number(DescentMap.LineWidth(colours, track.Group))}\" stroke-dasharray=\"{Number(length)} {Number(length)}\" stroke-dashoffset=\"{Number(length)}\">" +
                $"<animate attributeName=\"stroke-dashoffset\" values=\"{string.Join(";", offsets)}\" {timing}/></polyline>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle r=\"4\" fill=\"{colour}\" stroke=\"black\" stroke-width=\"1\" cx=\"{xs[0]}\" cy=\"{ys[0]}\">" +
                $"<animate attributeName=\"cx\" values=\"{string.Join(";", xs)}\" {timing}/><animate attributeName=\"cy\" values=\"{string.Join(";", ys)}\" {timing}/></circle>\n");
            svg.Append("</g>\n");
        }
        svg.Append("</g>\n");
        return svg.ToString();
    }

    private static double Distance(Pixel a, Pixel b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
