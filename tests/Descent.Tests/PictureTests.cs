using System.Buffers.Binary;
using System.Xml.Linq;
using AutoGrad.NN;
using AutoGrad.Plotting;

namespace Descent.Tests;

/// <summary>The pictures the sample writes open without errors: SVGs parse as XML, the PNG has the size reported.</summary>
public sealed class PictureTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-descent-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Himmelblau_with_every_optimizer_draws_as_svg_png_and_animation()
    {
        var surface = Surface.Named("himmelblau");
        var plan = new SchedulePlan("cosine", 0.5, 100, 0, Warmup: 10, surface.Steps);
        var paths = new[] { "sgd", "momentum", "adam", "vario-eta" }
            .SelectMany(kind => surface.Starts(4).Select(start => Walker.Walk(surface, Optimizer.Create(kind, 2, plan.For(surface.LearningRates[kind])), start, surface.Steps)))
            .ToArray();
        var scene = Pictures.Scene(surface, paths, plan);
        Assert.Equal("Himmelblau: f = (x² + y − 11)² + (x + y² − 7)², cosine schedule after 10 warm-up steps", scene.Title);
        Assert.Equal(16, scene.Tracks.Count);
        Assert.Equal(4, scene.Minima.Count);

        var (width, height) = DescentMap.Save(Path.Combine(_folder, "descent.png"), scene);
        var png = File.ReadAllBytes(Path.Combine(_folder, "descent.png"));
        Assert.Equal((width, height), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));

        DescentMap.Save(Path.Combine(_folder, "descent.svg"), scene);
        var svg = XDocument.Load(Path.Combine(_folder, "descent.svg"));
        Assert.Equal(width.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root!.Attribute("width")!.Value);
        string text = string.Concat(svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value + "\n"));
        foreach (var path in paths)
            Assert.Contains($" in {path.Steps} steps", text);

        DescentAnimation.SaveSvg(Path.Combine(_folder, "descent-animated.svg"), scene);
        Assert.Equal(16, XDocument.Load(Path.Combine(_folder, "descent-animated.svg")).Descendants().Count(e => e.Name.LocalName == "polyline" && e.Elements().Any(a => a.Name.LocalName == "animate")));
    }
}
