using System.Globalization;
using System.Text;
using AutoGrad.Benchmarks.Workloads;
using AutoGrad.Plotting;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// <c>scaling</c>: the generated and the tape gradient of Rosenbrock as n grows from 10 to 10^6,
/// time and memory, written to <c>rosenbrock-scaling.csv</c> and <c>rosenbrock-scaling.svg</c>.
/// </summary>
/// <remarks>
/// Memory is what the first gradient call allocates on a fresh thread (a fresh tape; an empty
/// adjoint-stack pool for the generated code): the working memory each method needs for that n,
/// growth included. Warmed-up calls allocate nothing in either, so the steady state says nothing
/// about size. The tape's own footprint, slots times 40 bytes (a 24-byte node, an adjoint and a
/// value), is written too.
/// </remarks>
public static class ScalingRunner
{
    private const int TapeBytesPerSlot = 40;

    /// <summary>The sizes measured.</summary>
    public static readonly int[] Sizes = [10, 100, 1_000, 10_000, 100_000, 1_000_000];

    /// <summary>Runs the sweep over <paramref name="sizes"/>; <paramref name="directory"/> is the results folder (default benchmarks/results).</summary>
    public static int Run(string? directory, IReadOnlyList<int> sizes)
    {
        directory ??= DefaultResultsDirectory();
        Directory.CreateDirectory(directory);

        var timer = new Timer(warmupSeconds: 0.25, repeatSeconds: 0.05, repeats: 7);
        var tape = new TapeGradients();
        var points = new List<ScalingPoint>();
        foreach (int n in sizes)
        {
            Workload workload = Workload.Rosenbrock(tape, n);
            string check = GradientCheck.Run(workload);
            if (check != "ok")
            {
                Console.Error.WriteLine($"gradient check failed at n = {n}: {check}");
                return 1;
            }
            var gradient = new double[n];
            double generatedUs = timer.Measure(workload.Generated, gradient).Median * 1e6;
            double tapeUs = timer.Measure(workload.Tape, gradient).Median * 1e6;
            double handWrittenUs = timer.Measure(workload.HandWritten, gradient).Median * 1e6;
            var (generatedBytes, tapeBytes, tapeSlots) = FirstCallMemory(n);
            var point = new ScalingPoint(n, generatedUs, tapeUs, handWrittenUs, generatedBytes, tapeBytes, tapeSlots);
            points.Add(point);
            Console.WriteLine(
                $"n = {n,9:N0}: generated {CompareRunner.Number(generatedUs),9} us, tape {CompareRunner.Number(tapeUs),9} us " +
                $"({CompareRunner.Ratio(tapeUs / generatedUs)}), hand-written {CompareRunner.Number(handWrittenUs)} us; first call allocates " +
                $"generated {Bytes(generatedBytes)}, tape {Bytes(tapeBytes)} ({tapeSlots:N0} slots)");
        }

        string csvPath = Path.Combine(directory, "rosenbrock-scaling.csv");
        string svgPath = Path.Combine(directory, "rosenbrock-scaling.svg");
        File.WriteAllText(csvPath, Csv(points));
        LogLogChart.Save(svgPath, Charts(points));
        Console.WriteLine($"wrote {csvPath} and {svgPath}");
        return 0;
    }

    private static (long Generated, long Tape, int TapeSlots) FirstCallMemory(int n)
    {
        long generated = 0, tape = 0;
        int slots = 0;
        // A fresh thread has an empty adjoint-stack pool, so the generated code grows its stack from scratch.
        var thread = new Thread(() =>
        {
            double[] x = WorkloadData.RosenbrockPoint(n);
            var gradient = new double[n];
            long before = GC.GetAllocatedBytesForCurrentThread();
            Functions.RosenbrockGradient(x, gradient);
            generated = GC.GetAllocatedBytesForCurrentThread() - before;

            before = GC.GetAllocatedBytesForCurrentThread();
            var fresh = new TapeGradients(initialCapacity: 16);
            fresh.Rosenbrock(x, gradient);
            tape = GC.GetAllocatedBytesForCurrentThread() - before;
            slots = fresh.Tape.SlotCount;
        });
        thread.Start();
        thread.Join();
        return (generated, tape, slots);
    }

    private static string Csv(IEnumerable<ScalingPoint> points)
    {
        var csv = new StringBuilder();
        csv.AppendLine("n,generated_us,tape_us,handwritten_us,tape_over_generated,generated_first_call_bytes,tape_first_call_bytes,tape_slots,tape_slot_bytes");
        foreach (ScalingPoint p in points)
        {
            csv.AppendLine(string.Join(',',
                p.N.ToString(CultureInfo.InvariantCulture),
                p.GeneratedUs.ToString("0.###", CultureInfo.InvariantCulture),
                p.TapeUs.ToString("0.###", CultureInfo.InvariantCulture),
                p.HandWrittenUs.ToString("0.###", CultureInfo.InvariantCulture),
                (p.TapeUs / p.GeneratedUs).ToString("0.##", CultureInfo.InvariantCulture),
                p.GeneratedFirstCallBytes.ToString(CultureInfo.InvariantCulture),
                p.TapeFirstCallBytes.ToString(CultureInfo.InvariantCulture),
                p.TapeSlots.ToString(CultureInfo.InvariantCulture),
                ((long)p.TapeSlots * TapeBytesPerSlot).ToString(CultureInfo.InvariantCulture)));
        }
        return csv.ToString();
    }

    private static ScottPlot.Plot[] Charts(IReadOnlyList<ScalingPoint> points)
    {
        double[] n = points.Select(p => (double)p.N).ToArray();
        var time = LogLogChart.Chart("Rosenbrock gradient: time per call", "n", "microseconds",
        [
            new ChartSeries("generated", "#1f77b4", n, points.Select(p => p.GeneratedUs).ToArray()),
            new ChartSeries("tape (reused)", "#d62728", n, points.Select(p => p.TapeUs).ToArray()),
            new ChartSeries("hand-written", "#2ca02c", n, points.Select(p => p.HandWrittenUs).ToArray()),
        ]);
        var memory = LogLogChart.Chart("Rosenbrock gradient: memory of a first call", "n", "bytes allocated",
        [
            // Zero is off a log scale: the legend says so rather than showing a series with no line.
            new ChartSeries(points.All(p => p.GeneratedFirstCallBytes == 0) ? "generated: 0 B at every n (not drawable)" : "generated (adjoint stack)",
                "#1f77b4", n, points.Select(p => (double)p.GeneratedFirstCallBytes).ToArray()),
            new ChartSeries("tape (fresh tape)", "#d62728", n, points.Select(p => (double)p.TapeFirstCallBytes).ToArray()),
        ]);
        return [time, memory];
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 => $"{bytes / 1048576.0:0.0} MiB",
        >= 1 << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>benchmarks/results in the repository this program was built from, else ./results.</summary>
    private static string DefaultResultsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGrad.sln"))) return Path.Combine(dir.FullName, "benchmarks", "results");
        }
        return "results";
    }

    private sealed record ScalingPoint(
        int N, double GeneratedUs, double TapeUs, double HandWrittenUs, long GeneratedFirstCallBytes, long TapeFirstCallBytes, int TapeSlots);
}
