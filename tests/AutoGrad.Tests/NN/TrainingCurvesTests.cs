using System.Xml.Linq;
using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

public sealed class TrainingCurvesTests
{
    private static readonly EpochMetrics[] s_history =
    [
        new(1, 0.9, 0.80, 0.78, 10, TimeSpan.FromSeconds(0.5), 2000),
        new(2, 0.5, 0.90, 0.87, 10, TimeSpan.FromSeconds(0.5), 2000),
        new(3, 0.25, 0.95, 0.91, 10, TimeSpan.FromSeconds(0.5), 2000),
    ];

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
    public void Svg_is_well_formed_with_both_panels_ticks_and_legends()
    {
        var svg = XDocument.Parse(TrainingCurves.ToSvg(s_history, "MNIST <test>"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("MNIST <test>", texts);
        Assert.Contains("Loss", texts);
        Assert.Contains("Accuracy", texts);
        Assert.Contains("Epoch", texts);
        Assert.Contains("train loss", texts);
        Assert.Contains("validation accuracy", texts);
        Assert.Contains("3", texts); // an epoch tick
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count(p => p.Attribute("stroke-width")?.Value == "2"));
    }

    [Fact]
    public void Svg_shows_the_learning_rate_in_a_third_panel_when_the_history_has_it()
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var withRate = s_history.Select((e, i) => e with { LearningRate = 0.004 / (i + 1) }).ToArray();
        var svg = XDocument.Parse(TrainingCurves.ToSvg(withRate));
        Assert.Contains("Learning rate", svg.Descendants(ns + "text").Select(t => t.Value));
        Assert.Contains("0.0040", svg.Descendants(ns + "text").Select(t => t.Value));
        Assert.Equal(4, svg.Descendants(ns + "polyline").Count(p => p.Attribute("stroke-width")?.Value == "2"));
        Assert.DoesNotContain("Learning rate", XDocument.Parse(TrainingCurves.ToSvg(s_history)).Descendants(ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void Svg_copes_with_one_epoch_and_with_none()
    {
        Assert.NotNull(XDocument.Parse(TrainingCurves.ToSvg(s_history[..1])));
        Assert.NotNull(XDocument.Parse(TrainingCurves.ToSvg([])));
    }
}
