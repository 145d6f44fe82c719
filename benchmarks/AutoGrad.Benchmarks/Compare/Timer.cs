using System.Diagnostics;
using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>A measured time per call: the median over repeats, and the spread around it.</summary>
/// <param name="Median">The median seconds per call.</param>
/// <param name="Min">The fastest repeat's seconds per call.</param>
/// <param name="Max">The slowest repeat's seconds per call.</param>
/// <param name="CallsPerRepeat">How many calls each repeat timed back to back.</param>
public readonly record struct Timing(double Median, double Min, double Max, int CallsPerRepeat);

/// <summary>
/// A Stopwatch harness in the manner of bench.py's: warm up (long enough for tiered compilation to
/// reach its optimised tier), calibrate a call count so one repeat lasts about
/// <see cref="RepeatSeconds"/>, then report the median per-call time over the repeats.
/// </summary>
public sealed class Timer(double warmupSeconds = 0.25, double repeatSeconds = 0.02, int repeats = 9)
{
    /// <summary>How long one timed repeat lasts, roughly.</summary>
    public double RepeatSeconds => repeatSeconds;

    /// <summary>The sum of every result timed, kept so the JIT cannot drop the calls.</summary>
    public static double Sink { get; private set; }

    /// <summary>Times a function.</summary>
    public Timing Measure(Func<double> call) => Measure(new FunctionCall(call));

    /// <summary>Times a gradient call writing into <paramref name="gradient"/>.</summary>
    public Timing Measure(GradientCall call, double[] gradient) => Measure(new GradientCallWithBuffer(call, gradient));

    /// <summary>
    /// Times an objective and its gradient in alternating repeats, so a burst of load from another
    /// process slows repeats of both rather than all of one: their ratio is then steadier.
    /// </summary>
    public (Timing Objective, Timing Gradient) MeasureInterleaved(Func<double> objective, GradientCall gradient, double[] buffer)
    {
        var first = new FunctionCall(objective);
        var second = new GradientCallWithBuffer(gradient, buffer);
        int firstCalls = WarmUp(first), secondCalls = WarmUp(second);
        var firstSamples = new double[repeats];
        var secondSamples = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            firstSamples[r] = TimeRepeat(first, firstCalls);
            secondSamples[r] = TimeRepeat(second, secondCalls);
        }
        return (Summarise(firstSamples, firstCalls), Summarise(secondSamples, secondCalls));
    }

    // Generic over a struct so the JIT specialises the loop: one delegate call per timed call.
    private Timing Measure<TCall>(TCall call) where TCall : struct, ICall
    {
        int calls = WarmUp(call);
        var samples = new double[repeats];
        for (int r = 0; r < repeats; r++) samples[r] = TimeRepeat(call, calls);
        return Summarise(samples, calls);
    }

    // Returns how many calls one repeat needs to last about RepeatSeconds.
    private int WarmUp<TCall>(TCall call) where TCall : struct, ICall
    {
        // Tier-1 code needs 30 calls and a background compile: keep calling for the warm-up time and
        // at least 50 calls, unless one call is so slow that 2 s pass first (its loops are then
        // optimised by on-stack replacement within the first call).
        var watch = Stopwatch.StartNew();
        int warm = 0;
        double sink = 0;
        while (watch.Elapsed.TotalSeconds < warmupSeconds || (warm < 50 && watch.Elapsed.TotalSeconds < 2) || warm < 3)
        {
            sink += call.Invoke();
            warm++;
        }
        Sink += sink;
        double perCall = watch.Elapsed.TotalSeconds / warm;
        return (int)Math.Clamp(repeatSeconds / perCall, 1, int.MaxValue);
    }

    // Seconds per call over one repeat of `calls` back-to-back calls.
    private static double TimeRepeat<TCall>(TCall call, int calls) where TCall : struct, ICall
    {
        double sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int c = 0; c < calls; c++) sink += call.Invoke();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        Sink += sink;
        return seconds;
    }

    private static Timing Summarise(double[] samples, int calls)
    {
        Array.Sort(samples);
        return new Timing(samples[samples.Length / 2], samples[0], samples[^1], calls);
    }

    /// <summary>Bytes allocated on this thread per call, over <paramref name="calls"/> calls of an already warmed-up <paramref name="call"/>.</summary>
    public static double AllocatedBytesPerCall(GradientCall call, double[] gradient, int calls = 20)
    {
        double sink = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int c = 0; c < calls; c++) sink += call(gradient);
        Sink = sink;
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    private interface ICall
    {
        double Invoke();
    }

    private readonly struct FunctionCall(Func<double> function) : ICall
    {
        public double Invoke() => function();
    }

    private readonly struct GradientCallWithBuffer(GradientCall call, double[] gradient) : ICall
    {
        public double Invoke() => call(gradient);
    }
}
