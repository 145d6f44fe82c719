using System.Diagnostics;
using System.Globalization;
using AutoGrad.Kernels;
using AutoGrad.NN;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// <c>forkjoin</c>: does the second core engage on back-to-back calls? Each of the seed MLP's
/// matrix products (and a whole Adam step at batch 256) timed back to back in three settings,
/// interleaved and best of 7: one thread (the fork-join off), workers that sleep after every job
/// (spin 0 µs, as the fork-join did before it spun) and workers that spin before sleeping
/// (<see cref="ForkJoin.SpinMicroseconds"/>). For the two parallel settings, the fork-join's
/// counters: the share of jobs a worker joined, the share of blocks the workers ran, and the
/// wake-up signals per job (a sleeping worker woken through the semaphore).
/// </summary>
public static class ForkJoinTrace
{
    private const int Trials = 7;

    /// <summary>Runs the trace; returns the process exit code.</summary>
    public static int Run()
    {
        var pool = ForkJoin.Shared;
        if (pool is null)
        {
            Console.Error.WriteLine("forkjoin: one core (Environment.ProcessorCount = 1): there are no workers to trace.");
            return 1;
        }
        int spin = ForkJoin.SpinMicroseconds;
        Console.Error.WriteLine($"# forkjoin: {Environment.Version}, {Environment.ProcessorCount} cores, {CompareRunner.CpuModel()}, spin {spin} us, parallel from {BlockedGemm<float>.ParallelThreshold:N0} multiply-adds");
        var settings = new (string Name, long Threshold, int Spin)[]
        {
            ("one thread", long.MaxValue, spin),
            ("sleep at once", BlockedGemmDefaultThreshold, 0),
            ($"spin {spin} us", BlockedGemmDefaultThreshold, spin),
        };
        var table = new TextTable($"back-to-back calls, best of {Trials} (us per call)", "m x k x n",
            "1 thread", "2: sleep at once", $"2: spin {spin} us", "spin / 1 thread",
            "joined (sleep)", "joined (spin)", "worker blocks (sleep)", "worker blocks (spin)", "wakes/job (sleep)", "wakes/job (spin)");

        var calls = new List<(string Name, string Shape, long MultiplyAdds, Action Call)>();
        foreach (var (name, variant, m, k, n) in MlpRunner.MatMulShapes)
        {
            var a = RandomFloats(m * k, 42);
            var b = RandomFloats(k * n, 43);
            var c = new float[m * n];
            Action call = variant switch
            {
                "A·B" => () => MatMul.Multiply(a, b, c, m, k, n),
                "Aᵀ·B" => () => MatMul.MultiplyTransposedA(a, b, c, m, k, n),
                _ => () => MatMul.MultiplyTransposedB(a, b, c, m, k, n),
            };
            calls.Add((name, $"{m}x{k}x{n} {variant}", (long)m * k * n, call));
        }
        var work = new Workloads.MlpWorkload();
        var step = work.NewAdamStep(5);
        calls.Add(("Adam step, batch 256", "seed MLP", 0, () => step.Step()));

        foreach (var (name, shape, multiplyAdds, call) in calls)
        {
            // Every setting measured in every trial, so other load on the machine hits all three alike.
            int repetitions = multiplyAdds > 0 ? (int)Math.Clamp(1e8 / multiplyAdds, 1, 100_000) : 50;
            var best = new double[settings.Length];
            var counters = new ForkJoin.Counters[settings.Length];
            Array.Fill(best, double.MaxValue);
            for (int trial = -1; trial < Trials; trial++)
            {
                for (int s = 0; s < settings.Length; s++)
                {
                    Apply(settings[s].Threshold, settings[s].Spin);
                    for (int i = 0; i < 3; i++) call();
                    // Let a spinning worker from the last setting fall asleep, so "sleep at once" starts asleep.
                    Thread.Sleep(1);
                    var before = pool.Totals;
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < repetitions; i++) call();
                    double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / repetitions;
                    if (trial < 0) continue; // warm-up round
                    best[s] = Math.Min(best[s], us);
                    counters[s] = Add(counters[s], Subtract(pool.Totals, before));
                }
            }
            Apply(BlockedGemmDefaultThreshold, spin);
            table.Add(name, shape, Num(best[0]), Num(best[1]), Num(best[2]),
                (best[2] / best[0]).ToString("0.00", CultureInfo.InvariantCulture) + "x",
                Share(counters[1].JobsJoined, counters[1].Jobs), Share(counters[2].JobsJoined, counters[2].Jobs),
                Share(counters[1].WorkerBlocks, counters[1].Blocks), Share(counters[2].WorkerBlocks, counters[2].Blocks),
                PerJob(counters[1].Wakes, counters[1].Jobs), PerJob(counters[2].Wakes, counters[2].Jobs));
            Console.Error.WriteLine($"# {name}: {best[0]:F1} / {best[1]:F1} / {best[2]:F1} us");
        }
        Console.WriteLine(table);
        return 0;
    }

    private static readonly long BlockedGemmDefaultThreshold = BlockedGemm<float>.ParallelThreshold;

    private static readonly int DefaultYield = ForkJoin.YieldMicroseconds;

    /// <summary>The threshold and spin; a spin of 0 also sleeps without the yielding polls.</summary>
    private static void Apply(long threshold, int spin)
    {
        BlockedGemm<float>.ParallelThreshold = threshold;
        ForkJoin.SpinMicroseconds = spin;
        ForkJoin.YieldMicroseconds = spin == 0 ? 0 : DefaultYield;
    }

    private static ForkJoin.Counters Subtract(ForkJoin.Counters x, ForkJoin.Counters y) =>
        new(x.Jobs - y.Jobs, x.JobsJoined - y.JobsJoined, x.Blocks - y.Blocks, x.WorkerBlocks - y.WorkerBlocks, x.Wakes - y.Wakes);

    private static ForkJoin.Counters Add(ForkJoin.Counters x, ForkJoin.Counters y) =>
        new(x.Jobs + y.Jobs, x.JobsJoined + y.JobsJoined, x.Blocks + y.Blocks, x.WorkerBlocks + y.WorkerBlocks, x.Wakes + y.Wakes);

    private static string Share(long part, long whole) => whole == 0 ? "-" : (part / (double)whole).ToString("P0", CultureInfo.InvariantCulture);

    private static string PerJob(long wakes, long jobs) => jobs == 0 ? "-" : (wakes / (double)jobs).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Num(double us) => CompareRunner.Number(us);

    private static float[] RandomFloats(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() - 0.5);
        return values;
    }
}
