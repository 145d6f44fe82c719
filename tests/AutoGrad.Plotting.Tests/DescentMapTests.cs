using System.Buffers.Binary;
using System.Xml.Linq;
using ScottPlot;

namespace AutoGrad.Plotting.Tests;

public sealed class DescentMapTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-descent-map-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>f = x² + 4y², walked by plain gradient descent from two starts with two step sizes.</summary>
    private static DescentScene Bowl()
    {
        static DescentTrack Walk(string group, double x, double y, double rate, int steps)
        {
            var points = new List<Coordinates> { new(x, y) };
            for (int i = 0; i < steps; i++)
            {
                x -= rate * 2 * x;
                y -= rate * 8 * y;
                points.Add(new(x, y));
            }
            return new DescentTrack(group, points, x * x + 4 * y * y);
        }
        return new DescentScene("Bowl <x² + 4y²>", (x, y) => x * x + 4 * y * y, (x, y) => (2 * x, 8 * y),
            new CoordinateRange(-2, 2), new CoordinateRange(-1, 1),
            [Walk("slow", 1.5, 0.8, 0.05, 60), Walk("slow", -1.5, -0.8, 0.05, 60), Walk("fast", 1.5, -0.8, 0.2, 30)],
            [new Coordinates(0, 0)]);
    }

    [Fact]
    public void The_png_has_the_stated_size_and_the_map_keeps_the_extents_shape()
    {
        string path = Path.Combine(_folder, "map.png");
        var (width, height) = DescentMap.Save(path, Bowl(), size: 400);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        var (_, drawnWidth, drawnHeight) = DescentMap.Draw(Bowl(), size: 400);
        Assert.Equal((width, height), (drawnWidth, drawnHeight));
        // The extent is 4 wide and 2 high: 300 more pixels of width add 150 of height (the margins stay).
        var small = DescentMap.Draw(Bowl(), size: 100);
        Assert.Equal((300, 150), (width - small.Width, height - small.Height));
    }

    [Fact]
    public void The_svg_parses_and_its_legend_gives_each_walks_final_loss_and_steps()
    {
        string path = Path.Combine(_folder, "map.svg");
        var scene = Bowl();
        DescentMap.Save(path, scene, size: 400);
        var svg = XDocument.Load(path);
        string text = string.Concat(svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value + "\n"));
        Assert.Contains("Bowl <x² + 4y²>", text);
        foreach (var track in scene.Tracks)
            Assert.Contains(DescentMap.Label(track), text);
        Assert.Contains("slow (1.5, 0.8): ", DescentMap.Label(scene.Tracks[0]));
        Assert.EndsWith(" in 60 steps", DescentMap.Label(scene.Tracks[0]));
        Assert.Contains("start", text);
        Assert.Contains("minimum", text);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Arrows_point_down_the_gradient_and_are_perpendicular_to_the_contour_lines()
    {
        var (plot, _, _) = DescentMap.Draw(Bowl(), size: 400);
        var arrows = plot.GetPlottables<ScottPlot.Plottables.Arrow>().ToArray();
        Assert.True(arrows.Length > 50, $"{arrows.Length} arrows");
        foreach (var arrow in arrows)
        {
            var middle = new Coordinates((arrow.Base.X + arrow.Tip.X) / 2, (arrow.Base.Y + arrow.Tip.Y) / 2);
            double ax = arrow.Tip.X - arrow.Base.X, ay = arrow.Tip.Y - arrow.Base.Y;
            // The level curve through the middle runs along (−∂f/∂y, ∂f/∂x) = (−8y, 2x): the arrow is at right angles to it...
            Assert.Equal(0, ax * -8 * middle.Y + ay * 2 * middle.X, 9);
            // ...and points downhill.
            Assert.True(ax * 2 * middle.X + ay * 8 * middle.Y < 0);
        }
    }

    [Fact]
    public void Contour_lines_and_a_viridis_heat_map_show_the_surface_low_dark_high_yellow()
    {
        var (plot, _, _) = DescentMap.Draw(Bowl(), size: 400);
        var lines = Assert.Single(plot.GetPlottables<ScottPlot.Plottables.ContourLines>());
        Assert.NotNull(lines.Lines);
        Assert.NotEmpty(lines.Lines!);
        var heatmap = Assert.Single(plot.GetPlottables<ScottPlot.Plottables.Heatmap>());
        Assert.IsType<ScottPlot.Colormaps.Viridis>(heatmap.Colormap);
        // Row 0 is the top: the corner (high) is yellowish, the centre (the minimum) dark.
        double[,] cells = heatmap.Intensities;
        int n = cells.GetLength(0);
        var corner = heatmap.Colormap.GetColor(cells[0, 0], heatmap.ManualRange!.Value);
        var centre = heatmap.Colormap.GetColor(cells[n / 2, n / 2], heatmap.ManualRange!.Value);
        Assert.True(corner.R > 200 && corner.G > 200 && corner.B < 100, $"corner {corner}");
        Assert.True(centre.R < 100 && centre.G < 60 && centre.B > 60, $"centre {centre}");
    }

    [Fact]
    public void The_animation_is_an_svg_whose_walks_draw_themselves_and_loop()
    {
        string path = Path.Combine(_folder, "walk.svg");
        var scene = Bowl();
        DescentAnimation.SaveSvg(path, scene, seconds: 4, size: 400);
        var svg = XDocument.Load(path);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var walks = svg.Descendants(ns + "polyline").Where(p => p.Element(ns + "animate") is not null).ToArray();
        Assert.Equal(scene.Tracks.Count, walks.Length);
        foreach (var walk in walks)
        {
            var animate = walk.Element(ns + "animate")!;
            Assert.Equal("stroke-dashoffset", animate.Attribute("attributeName")!.Value);
            Assert.Equal("indefinite", animate.Attribute("repeatCount")!.Value);
            var values = animate.Attribute("values")!.Value.Split(';').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(animate.Attribute("keyTimes")!.Value.Split(';').Length, values.Length);
            // Hidden at first, fully drawn at the end, never undrawn in between.
            Assert.Equal(double.Parse(walk.Attribute("stroke-dashoffset")!.Value, System.Globalization.CultureInfo.InvariantCulture), values[0]);
            Assert.Equal(0, values[^1]);
            Assert.True(values.Zip(values.Skip(1)).All(p => p.Second <= p.First));
        }
        Assert.Equal(scene.Tracks.Count, svg.Descendants(ns + "circle").Count(c => c.Elements(ns + "animate").Count() == 2));
        Assert.Throws<ArgumentException>(() => DescentAnimation.SaveSvg(Path.Combine(_folder, "walk.png"), scene));
    }
}
