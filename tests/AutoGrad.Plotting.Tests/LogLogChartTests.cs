using System.Xml.Linq;

namespace AutoGrad.Plotting.Tests;

public sealed class LogLogChartTests : IDisposable
{
    private static readonly double[] s_n = [10, 100, 1_000, 10_000];

    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-loglog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ScottPlot.Plot[] Charts() =>
    [
        LogLogChart.Chart("time per call", "n", "microseconds",
        [
            new ChartSeries("generated", "#1f77b4", s_n, [0.05, 0.5, 5, 50]),
            new ChartSeries("tape", "#d62728", s_n, [0.4, 4, 40, 400]),
        ]),
        LogLogChart.Chart("memory <first call>", "n", "bytes",
        [
            new ChartSeries("generated: 0 B at every n (not drawable)", "#1f77b4", s_n, [0, 0, 0, 0]),
            new ChartSeries("tape", "#d62728", s_n, [640, 6_400, 64_000, 640_000]),
        ]),
    ];

    [Fact]
    public void Svg_is_well_formed_has_both_charts_side_by_side_and_labels_the_decades()
    {
        string path = Path.Combine(_folder, "scaling.svg");
        LogLogChart.Save(path, Charts());

        var svg = XDocument.Load(path);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Equal($"{2 * LogLogChart.Width}", svg.Root.Attribute("width")!.Value);
        Assert.Equal($"{LogLogChart.Height}", svg.Root.Attribute("height")!.Value);
        var text = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()).ToHashSet();
        foreach (var expected in new[] { "time per call", "memory <first call>", "n (log scale)", "microseconds (log scale)", "generated", "tape",
                                         "generated: 0 B at every n (not drawable)", "10", "1e3", "1e4" })
            Assert.Contains(expected, text);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Png_has_the_png_signature_and_the_size()
    {
        string path = Path.Combine(_folder, "scaling.png");
        LogLogChart.Save(path, Charts());

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(2 * LogLogChart.Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(LogLogChart.Height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(1, "10")]
    [InlineData(2, "1e2")]
    [InlineData(6, "1e6")]
    [InlineData(-3, "1e-3")]
    public void Decades_are_labelled_as_before(double exponent, string label) => Assert.Equal(label, LogLogChart.DecadeLabel(exponent));

    [Fact]
    public void Bad_input_is_refused_with_a_message()
    {
        var mismatch = Assert.Throws<ArgumentException>(() => LogLogChart.Chart("t", "x", "y", [new ChartSeries("s", "#000000", [1, 2], [1])]));
        Assert.Contains("'s' has 2 x values and 1 y values", mismatch.Message);
        Assert.Throws<ArgumentException>(() => LogLogChart.Save(Path.Combine(_folder, "chart.txt"), Charts()));
        Assert.Throws<ArgumentException>(() => LogLogChart.Save(Path.Combine(_folder, "chart.svg"), []));
    }
}
