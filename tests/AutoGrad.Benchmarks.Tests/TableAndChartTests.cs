using System.Globalization;
using System.Xml.Linq;
using AutoGrad.Benchmarks.Compare;

namespace AutoGrad.Benchmarks.Tests;

public sealed class TableAndChartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-benchmarks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_table_is_markdown_with_right_aligned_columns_and_every_cell_as_given()
    {
        var table = new TextTable("workload", "n", "generated us");
        table.Add("rosenbrock", "1,000", "3.61");
        table.Add("seed | pipe", "1", "0.003"); // text is never read as markup: [ ] and | come out as they are

        string[] lines = table.ToString().Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.True(l.StartsWith('|') && l.EndsWith('|'), l));
        Assert.Equal(["workload", "n", "generated us"], Cells(lines[0]));
        Assert.All(Cells(lines[1]), c => Assert.Matches("^-+:$", c));
        Assert.Equal(["rosenbrock", "1,000", "3.61"], Cells(lines[2]));
        Assert.Contains("seed | pipe", lines[3]);
        Assert.Equal(lines[0].Length, lines[2].Length); // lined up
    }

    [Fact]
    public void A_row_needs_one_cell_per_column() =>
        Assert.Throws<ArgumentException>(() => new TextTable("a", "b").Add("only one"));

    [Fact]
    public void Scaling_writes_its_csv_and_a_valid_svg_chart()
    {
        var run = BenchmarkProgram.Run("scaling", "--sizes", "10,100", "--out", _folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] csv = File.ReadAllLines(Path.Combine(_folder, "rosenbrock-scaling.csv"));
        Assert.StartsWith("n,generated_us,tape_us,", csv[0]);
        Assert.Equal(["10", "100"], csv.Skip(1).Select(l => l.Split(',')[0]));
        var svg = XDocument.Load(Path.Combine(_folder, "rosenbrock-scaling.svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Equal(2 * AutoGrad.Plotting.LogLogChart.Width, int.Parse(svg.Root.Attribute("width")!.Value, CultureInfo.InvariantCulture));
        string text = string.Join("\n", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()));
        Assert.Contains("Rosenbrock gradient: time per call", text);
        Assert.Contains("Rosenbrock gradient: memory of a first call", text);
        Assert.Contains("tape (reused)", text);
    }

    private static string[] Cells(string line) => [.. line.Trim('|').Split(" | ").Select(c => c.Trim())];
}
