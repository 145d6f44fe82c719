using System.Globalization;
using System.Text.Json;
using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// <c>compare</c>: every workload's primal and its gradient three ways, timed in process in a few
/// seconds, as one table; <c>--json PATH</c> also writes the rows for compare-pytorch.sh.
/// </summary>
public static class CompareRunner
{
    /// <summary>Runs the comparison; returns the process exit code (1 when a gradient check fails).</summary>
    public static int Run(string? jsonPath)
    {
        var timer = new Timer();
        var tape = new TapeGradients();
        var rows = new List<CompareRow>();
        bool allChecksPass = true;

        Console.Error.WriteLine($"# {Environment.Version} {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                                $"{Environment.ProcessorCount} cores, {CpuModel()}");
        foreach (Workload workload in Workload.All(tape, WorkloadData.RosenbrockSizes))
        {
            string check = GradientCheck.Run(workload);
            allChecksPass &= check == "ok";
            var gradient = new double[workload.ParameterCount];
            Timing primal = timer.Measure(workload.Primal);
            Timing generated = timer.Measure(workload.Generated, gradient);
            Timing tapeTime = timer.Measure(workload.Tape, gradient);
            Timing handWritten = timer.Measure(workload.HandWritten, gradient);
            rows.Add(new CompareRow(
                workload.Name, workload.Size,
                Microseconds(primal), Microseconds(generated), Microseconds(tapeTime), Microseconds(handWritten),
                Timer.AllocatedBytesPerCall(workload.Generated, gradient),
                Timer.AllocatedBytesPerCall(workload.Tape, gradient),
                check));
        }

        Console.WriteLine(Format(rows));
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, CompareJson.Default.ListCompareRow) + "\n");
            Console.Error.WriteLine($"# wrote {jsonPath}");
        }
        return allChecksPass ? 0 : 1;
    }

    /// <summary>The table the runner prints.</summary>
    public static string Format(IReadOnlyList<CompareRow> rows)
    {
        var table = new TextTable(
            "workload", "n", "primal us", "generated us", "tape us", "hand us",
            "gen/primal", "tape/gen", "gen B/call", "tape B/call", "check");
        foreach (CompareRow row in rows)
        {
            table.Add(
                row.Workload, row.N.ToString("N0", CultureInfo.InvariantCulture),
                Number(row.PrimalUs), Number(row.GeneratedUs), Number(row.TapeUs), Number(row.HandWrittenUs),
                Ratio(row.GeneratedUs / row.PrimalUs), Ratio(row.TapeUs / row.GeneratedUs),
                row.GeneratedBytesPerCall.ToString("0", CultureInfo.InvariantCulture),
                row.TapeBytesPerCall.ToString("0", CultureInfo.InvariantCulture),
                row.Check);
        }
        return table.ToString();
    }

    /// <summary>A time in microseconds with three significant digits or more.</summary>
    public static string Number(double microseconds) =>
        microseconds.ToString(microseconds >= 100 ? "0" : microseconds >= 10 ? "0.0" : microseconds >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    /// <summary>A ratio as <c>2.31x</c>.</summary>
    public static string Ratio(double ratio) => ratio.ToString(ratio >= 100 ? "0" : ratio >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>The CPU model from /proc/cpuinfo, or "unknown CPU".</summary>
    public static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return "unknown CPU";
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static double Microseconds(Timing timing) => timing.Median * 1e6;

}
