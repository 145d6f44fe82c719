using System.Xml.Linq;
using AutoGrad.NN;

namespace AutoGrad.Plotting.Tests;

public sealed class TrainingCurvesTests : IDisposable
{
    private static readonly EpochMetrics[] s_history =
    [
        new(1, 0.9, 0.80, 0.78, 10, TimeSpan.FromSeconds(0.5), 2000),
        new(2, 0.5, 0.90, 0.87, 10, TimeSpan.FromSeconds(0.5), 2000),
        new(3, 0.25, 0.95, 0.91, 10, TimeSpan.FromSeconds(0.5), 2000),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-plotting-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Csv_has_a_header_and_one_row_per_epoch()
    {
        var lines = TrainingCurves.ToCsv(s_history).TrimEnd().Split('\n');
        Assert.Equal("epoch,train_loss,train_accuracy,validation_accuracy,steps,seconds,samples_per_second,learning_rate", lines[0]);
        Assert.Equal("2,0.5,0.9,0.87,10,0.5,2000,", lines[2]);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith(",,10,0.5,2000,0.003", TrainingCurves.ToCsv([s_history[0] with { TrainAccuracy = double.NaN, ValidationAccuracy = double.NaN, LearningRate = 0.003 }]).TrimEnd());
    }

    [Fact]
    public void Svg_is_well_formed_and_names_the_data_set_the_panels_and_the_series()
    {
        string path = Path.Combine(_folder, "curves.svg");
        TrainingCurves.Save(path, s_history, "Fashion-MNIST <test>");
        string text = string.Concat(XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value + "\n"));
        foreach (var expected in new[] { "Fashion-MNIST <test>", "Loss", "Accuracy", "Epoch", "train loss", "train accuracy", "validation accuracy" })
            Assert.Contains(expected, text);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Legends_lie_right_of_the_data_areas()
    {
        string path = Path.Combine(_folder, "curves.svg");
        var chart = TrainingCurves.Chart(s_history, "MNIST");
        ChartFile.Save(chart, path, 900, 640);
        float dataRight = chart.Subplots.GetPlots().Max(p => p.RenderManager.LastRender.DataRect.Right);
        var labels = XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "text")
            .Where(t => t.Value.Trim() is "train loss" or "train accuracy" or "validation accuracy").ToArray();
        Assert.Equal(3, labels.Select(t => t.Value.Trim()).Distinct().Count());
        foreach (var label in labels)
        {
            // Skia writes a text's position as transform="translate(x y)".
            string transform = label.Attribute("transform")!.Value;
            float x = float.Parse(transform["translate(".Length..transform.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(x > dataRight, $"legend label '{label.Value.Trim()}' at x = {x}, inside the data area that ends at x = {dataRight}");
        }
    }

    [Fact]
    public void The_learning_rate_gets_a_third_panel_when_the_history_has_it()
    {
        var withRate = s_history.Select((e, i) => e with { LearningRate = 0.004 / (i + 1) }).ToArray();
        string path = Path.Combine(_folder, "rate.svg");
        TrainingCurves.Save(path, withRate, "MNIST");
        Assert.Contains("Learning rate", XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()));
        Assert.Equal(3, TrainingCurves.Chart(withRate, "MNIST").Subplots.Count);
        Assert.Equal(2, TrainingCurves.Chart(s_history, "MNIST").Subplots.Count);
    }

    [Fact]
    public void Png_starts_with_the_png_signature()
    {
        string path = Path.Combine(_folder, "curves.png");
        TrainingCurves.Save(path, s_history, "MNIST");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]);
    }

    [Fact]
    public void Charts_cope_with_one_epoch_and_with_none()
    {
        TrainingCurves.Save(Path.Combine(_folder, "one.svg"), s_history[..1], "MNIST");
        TrainingCurves.Save(Path.Combine(_folder, "none.svg"), [], "MNIST");
        Assert.NotNull(XDocument.Load(Path.Combine(_folder, "one.svg")));
        Assert.NotNull(XDocument.Load(Path.Combine(_folder, "none.svg")));
    }

    [Fact]
    public void An_unknown_extension_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingCurves.Save(Path.Combine(_folder, "curves.pdf"), s_history, "MNIST"));
        Assert.Contains("curves.pdf", error.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
