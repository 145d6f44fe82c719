using System.Globalization;
using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// <c>checkpoint</c>: the gradient of a 10^6-step recurrence (<see cref="LongRecurrence"/>) without checkpointing
/// and under binomial checkpointing with several snapshot budgets: time against the primal and against the
/// unbounded gradient, the iterations the schedule runs, and the memory a cold call grows (on a fresh thread, so
/// every pool starts empty: the stacks at their peak, doubled as they grow, and the snapshots).
/// </summary>
public static class CheckpointRunner
{
    private delegate double Gradient(double w, double[] x, int steps, out double dw, Span<double> dx);

    /// <summary>Runs the comparison; returns 1 when a checkpointed gradient differs from the unbounded one.</summary>
    public static int Run(int steps)
    {
        var x = new double[64];
        var random = new Random(11);
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() - 0.5;
        const double w = 0.8;
        var variants = new (string Name, int Snapshots, Gradient Gradient)[]
        {
            ("unbounded", 0, LongRecurrence.UnboundedGradient),
            ("s = 8", 8, LongRecurrence.Snapshots8Gradient),
            ("s = 32", 32, LongRecurrence.Snapshots32Gradient),
            ("s = 128", 128, LongRecurrence.Snapshots128Gradient),
            ("s = 1024", 1024, LongRecurrence.Snapshots1024Gradient),
        };
        var timer = new Timer(warmupSeconds: 0.5, repeatSeconds: 0.02, repeats: 5);
        double primal = timer.Measure(() => LongRecurrence.Unbounded(w, x, steps)).Median;
        var expected = new double[x.Length];
        variants[0].Gradient(w, x, steps, out double expectedW, expected);
        var table = new TextTable("gradient", "steps", "iterations rerun / step", "time / primal", "time / unbounded", "cold-call KB", "check");
        double unbounded = 0;
        bool allMatch = true;
        foreach (var (name, snapshots, gradient) in variants)
        {
            var dx = new double[x.Length];
            double seconds = timer.Measure(() => gradient(w, x, steps, out _, dx)).Median;
            if (snapshots == 0) unbounded = seconds;
            gradient(w, x, steps, out double dw, dx);
            bool match = Close(dw, expectedW) && dx.Select((d, i) => Close(d, expected[i])).All(m => m);
            allMatch &= match;
            table.Add(name, steps.ToString("N0", CultureInfo.InvariantCulture), RerunPerStep(steps, snapshots).ToString("0.00", CultureInfo.InvariantCulture),
                CompareRunner.Ratio(seconds / primal), CompareRunner.Ratio(seconds / unbounded),
                (ColdCallBytes(gradient, w, x, steps) / 1e3).ToString("N1", CultureInfo.InvariantCulture), match ? "ok" : "differs");
        }
        Console.WriteLine(table);
        return allMatch ? 0 : 1;
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected));

    /// <summary>
    /// Primal iterations run beyond the unbounded gradient's, per loop step: the plain forward sweep (each iteration
    /// runs again with its saves when it is reversed) and the schedule's advances (a dry run of it).
    /// </summary>
    private static double RerunPerStep(int steps, int snapshots)
    {
        if (snapshots == 0) return 0;
        long advanced = 0;
        var schedule = Differentiation.Revolve.Rent(steps, snapshots);
        for (var action = schedule.Next(); action != Differentiation.RevolveAction.Done; action = schedule.Next())
            if (action == Differentiation.RevolveAction.Advance) advanced += schedule.AdvanceSteps;
        Differentiation.Revolve.Return(schedule);
        return (double)(steps + advanced) / steps;
    }

    private static long ColdCallBytes(Gradient gradient, double w, double[] x, int steps)
    {
        long bytes = 0;
        var dx = new double[x.Length];
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            gradient(w, x, steps, out _, dx);
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        return bytes;
    }
}
