using AutoGrad.IO;
using ScottPlot;
using SkiaSharp;

namespace AutoGrad.Plotting;

/// <summary>
/// Saves ScottPlot figures as SVG or PNG (chosen by the file's extension) through <see cref="AtomicFile"/>,
/// so a reader never sees half a chart.
/// </summary>
public static class ChartFile
{
    /// <summary>The font every chart uses: installed on the Debian machines this project runs on, and it covers the axis labels' glyphs.</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>
    /// Makes <see cref="FontName"/> ScottPlot's default font (where it is missing, Skia falls back to a font it has).
    /// Call before building a plot; every method here calls it.
    /// </summary>
    public static void UseProjectFont() => Fonts.Default = FontName;

    /// <summary>The image formats a chart can be saved in, by extension (lower case, with the dot).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".svg", ".png"];

    /// <summary>Saves one plot.</summary>
    /// <param name="plot">The plot.</param>
    /// <param name="path">A <c>.svg</c> or <c>.png</c> file.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        Save(path, width, height, (canvas, rect) => plot.Render(canvas, rect));
    }

    /// <summary>Saves several plots laid out together (their layout is the multiplot's).</summary>
    /// <param name="multiplot">The plots.</param>
    /// <param name="path">A <c>.svg</c> or <c>.png</c> file.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void Save(Multiplot multiplot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        Save(path, width, height, (canvas, rect) => multiplot.Render(canvas, rect));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the path unless its extension is one of <see cref="Extensions"/>.</summary>
    /// <param name="path">The chart's file.</param>
    public static void CheckExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            throw new ArgumentException($"A chart is saved as {string.Join(" or ", Extensions)}; '{path}' has neither extension.", nameof(path));
    }

    private static void Save(string path, int width, int height, Action<SKCanvas, PixelRect> render)
    {
        CheckExtension(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        UseProjectFont();
        bool svg = Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, stream =>
        {
            var rect = new PixelRect(0, width, height, 0);
            if (svg)
            {
                using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
                render(canvas, rect);
                return;
            }
            using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException($"Could not create a {width}x{height} drawing surface.");
            render(surface.Canvas, rect);
            using var image = surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            png.SaveTo(stream);
        });
    }
}
