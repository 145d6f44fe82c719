using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.Benchmarks.Workloads;
using AutoGrad.Differentiation;
using AutoGrad.Kernels;
using AutoGrad.NN;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One MLP measurement: median (and fastest, slowest repeat) microseconds per call.</summary>
public sealed record MlpRow(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("us")] double Us,
    [property: JsonPropertyName("min_us")] double MinUs,
    [property: JsonPropertyName("max_us")] double MaxUs,
    [property: JsonPropertyName("bytes_per_call")] double BytesPerCall,
    [property: JsonPropertyName("check")] string Check)
{
    /// <summary>A training step's loss on its first batch (training steps only).</summary>
    [JsonPropertyName("loss_first")]
    public double? LossFirst { get; init; }

    /// <summary>A training step's loss on the batch after the timed steps (training steps only).</summary>
    [JsonPropertyName("loss_after")]
    public double? LossAfter { get; init; }

    /// <summary>How many elements of that step's gradient were exactly zero (training steps only): a network whose ReLUs died has most.</summary>
    [JsonPropertyName("zero_gradients")]
    public int? ZeroGradients { get; init; }
}

/// <summary>Our matrix multiply on one shape.</summary>
public sealed record MatMulRow(
    [property: JsonPropertyName("shape")] string Shape,
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("m")] int M,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("us")] double Us,
    [property: JsonPropertyName("gflops")] double GFlops);

/// <summary>Source-generated JSON for the MLP and matmul rows.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<MlpRow>))]
[JsonSerializable(typeof(List<MatMulRow>))]
public sealed partial class MlpJson : JsonSerializerContext;

/// <summary>
/// <c>mlp</c>: the seed MLP 784-64-64-64-10 (bench.py's <c>mlp</c> group): the loss at batch 1 and
/// 256 (primal, generated gradient, tape gradient in double) and the training steps (Adam 0.003 at
/// batch 256, SGD 0.01 at batch 1). <c>--profile</c> adds a per-part breakdown of a batch-256 Adam
/// step. <c>matmul</c>: our float GFLOP/s on the shapes of the seed MLP's layers and 1024³.
/// </summary>
public static class MlpRunner
{
    /// <summary>
    /// The training steps' protocol, the same in bench.py's <c>mlp</c> group: a fixed number of steps
    /// rather than seconds, so both sides time the same stretch of training (the same batches at the
    /// same point of the run) whichever is faster. Adam: 10 passes over the 31 batches to warm up,
    /// then 20 repeats of one pass each; SGD: one pass over the 1,024 samples, then 16 repeats of 128.
    /// The median repeat's time per step is reported, with the fastest and slowest repeat.
    /// </summary>
    public static readonly (int Warmup, int Repeats, int StepsPerRepeat) AdamSteps = (10 * MlpWorkload.AdamBatches, 20, MlpWorkload.AdamBatches),
        SgdSteps = (MlpWorkload.SgdSamples, 16, 128);

    /// <summary>Runs the MLP benchmarks; returns the process exit code (1 when a check fails).</summary>
    /// <param name="jsonPath">Where to write the rows as JSON, if anywhere.</param>
    /// <param name="profile">Add where a step's time goes.</param>
    /// <param name="stepsOnly">Only the training steps.</param>
    /// <param name="turns">Run every stretch of the training steps' work (warm-up, each timed repeat, the checks after) in turns with another process.</param>
    public static int Run(string? jsonPath, bool profile, bool stepsOnly = false, Turns? turns = null)
    {
        var timer = new Timer(warmupSeconds: 0.5, repeatSeconds: 0.1, repeats: 9);
        var work = new MlpWorkload();
        var rows = new List<MlpRow>();
        bool ok = true;
        Console.Error.WriteLine($"# mlp: {Environment.Version}, {Environment.ProcessorCount} cores (Environment.ProcessorCount), {CompareRunner.CpuModel()}");

        if (!stepsOnly)
        {
            foreach (int batch in new[] { 1, 256 })
            {
                string check = work.Check(batch);
                ok &= check == "ok";
                int batches = MlpWorkload.SampleCount / batch;
                rows.Add(Row("mlp_primal", batch, timer, Cycle(batches, batch, work.Primal), check));
                rows.Add(Row("mlp_generated", batch, timer, Cycle(batches, batch, work.Generated), check));
                rows.Add(Row("mlp_tape_double", batch, timer, Cycle(batches, batch, work.Tape), check));
            }
        }

        foreach (var (name, batch, step, steps) in new[] { ("mlp_adam_step", 256, work.NewAdamStep(5), AdamSteps), ("mlp_sgd_step", 1, work.NewSgdStep(6), SgdSteps) })
        {
            turns?.Take();
            double first = step.Step();
            Timing timing = TimeSteps(step.Step, steps.Warmup, steps.Repeats, steps.StepsPerRepeat, turns);
            turns?.Take();
            double after = step.Step();
            bool finite = double.IsFinite(after);
            int zeros = step.ZeroGradients;
            rows.Add(Row(name, batch, timing, step.Step, finite ? "ok" : "FAIL (loss not finite)") with { LossFirst = first, LossAfter = after, ZeroGradients = zeros });
            turns?.Pass();
            Console.Error.WriteLine($"# {name}: loss {first:F4} -> {after:F4} after {steps.Warmup + steps.Repeats * steps.StepsPerRepeat + 1:N0} steps; {zeros:N0} of {work.Gradient.Length:N0} gradient elements exactly zero");
            ok &= finite;
        }

        Console.WriteLine(stepsOnly ? FormatSteps(rows) : Format(rows));
        if (profile)
        {
            Console.WriteLine();
            Console.WriteLine(StepParts.Run(work));
            Console.WriteLine();
            Console.WriteLine(Profile(work, timer, 256));
            Console.WriteLine();
            Console.WriteLine(Profile(work, timer, 1));
        }
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, MlpJson.Default.ListMlpRow) + "\n");
            Console.Error.WriteLine($"# wrote {jsonPath}");
        }
        return ok ? 0 : 1;
    }

    /// <summary>The loss table and the training-step table.</summary>
    public static string Format(IReadOnlyList<MlpRow> rows)
    {
        MlpRow Find(string name, int batch) => rows.First(r => r.Workload == name && r.Batch == batch);
        var loss = new TextTable("seed MLP loss", "batch", "primal us", "generated us", "tape (double) us",
            "gen/primal", "tape/gen", "primal B/call", "gen B/call", "tape B/call", "check");
        foreach (int batch in new[] { 1, 256 })
        {
            MlpRow p = Find("mlp_primal", batch), g = Find("mlp_generated", batch), t = Find("mlp_tape_double", batch);
            loss.Add("784-64-64-64-10", batch.ToString(CultureInfo.InvariantCulture),
                Spread(p), Spread(g), Spread(t),
                CompareRunner.Ratio(g.Us / p.Us), CompareRunner.Ratio(t.Us / g.Us),
                Bytes(p.BytesPerCall), Bytes(g.BytesPerCall), Bytes(t.BytesPerCall), g.Check);
        }
        return loss + Environment.NewLine + Environment.NewLine + FormatSteps(rows);
    }

    /// <summary>The training-step table.</summary>
    public static string FormatSteps(IReadOnlyList<MlpRow> rows)
    {
        var steps = new TextTable("training step", "batch", "us/step (min-max)", "ms/step", "samples/s", "B/step");
        foreach (var (name, label, batch) in new[] { ("mlp_adam_step", "Adam lr 0.003", 256), ("mlp_sgd_step", "SGD lr 0.01", 1) })
        {
            MlpRow r = rows.First(r => r.Workload == name && r.Batch == batch);
            steps.Add(label, batch.ToString(CultureInfo.InvariantCulture), Spread(r),
                (r.Us / 1000).ToString("0.000", CultureInfo.InvariantCulture),
                (batch / (r.Us * 1e-6)).ToString("N0", CultureInfo.InvariantCulture), Bytes(r.BytesPerCall));
        }
        return steps.ToString();
    }

    /// <summary>
    /// Where a training step goes (Adam at batch 256, SGD at batch 1): each layer's forward (with the record the backward needs)
    /// and backward timed alone on realistic activations, the matrix products inside them timed
    /// alone through the kernel, the loss, the optimiser, and the whole step for comparison.
    /// </summary>
    public static string Profile(MlpWorkload work, Timer timer, int batch)
    {
        bool adamStep = batch > 1;
        Sequential model = work.Model;
        IReadOnlyList<Layer> layers = model.Layers;
        var offsets = new int[layers.Count + 1];
        for (int i = 0; i < layers.Count; i++) offsets[i + 1] = offsets[i] + layers[i].ParameterCount;
        float[] parameters = model.Parameters.ToArray();
        var dparameters = new float[parameters.Length];
        var outputs = layers.Select(l => new float[batch * l.OutputSize]).ToArray();
        var random = new Random(9);
        var adjoints = layers.Select(l => Enumerable.Range(0, batch * l.OutputSize).Select(_ => (float)(random.NextDouble() - 0.5) * 0.01f).ToArray()).ToArray();
        var inputAdjoints = layers.Select(l => new float[batch * l.InputSize]).ToArray();
        float[] input = work.Images[..(batch * MlpWorkload.Inputs)].ToArray();
        for (int i = 0; i < layers.Count; i++)
            layers[i].Forward(parameters.AsSpan(offsets[i], layers[i].ParameterCount), i == 0 ? input : outputs[i - 1], outputs[i], batch);

        var record = new ForwardRecord();
        var table = new TextTable($"part (batch {batch})", "us", "of which matmul us", "rest us", "share of step");
        var parts = new List<(string Name, double Us, double MatMulUs)>();
        double sum = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            int li = i;
            float[] x = li == 0 ? input : outputs[li - 1];
            Func<double> forward = () =>
            {
                record.Clear();
                layer.Forward(parameters.AsSpan(offsets[li], layer.ParameterCount), x, outputs[li], batch, record);
                return outputs[li][0];
            };
            Func<double> forwardBackward = () =>
            {
                record.Clear();
                var p = parameters.AsSpan(offsets[li], layer.ParameterCount);
                layer.Forward(p, x, outputs[li], batch, record);
                Span<float> dx = li == 0 ? default : inputAdjoints[li];
                dx.Clear();
                layer.Backward(p, x, outputs[li], adjoints[li], dx, dparameters.AsSpan(offsets[li], layer.ParameterCount), batch, record);
                return dparameters[offsets[li]];
            };
            double f = Us(timer.Measure(forward));
            double fb = Us(timer.Measure(forwardBackward));
            string name = layer is Dense ? $"dense {layer.InputSize}->{layer.OutputSize}" : $"relu {layer.OutputSize}";
            double matmulForward = 0, matmulBackward = 0;
            if (layer is Dense)
            {
                int k = layer.InputSize, n = layer.OutputSize;
                float[] w = parameters.AsSpan(offsets[li], n * k).ToArray();
                float[] y = new float[batch * n], dw = new float[n * k], dx = new float[batch * k];
                float[] dy = adjoints[li];
                matmulForward = Us(timer.Measure(() => { MatMul.MultiplyTransposedB(x, w, y, batch, k, n); return y[0]; }));
                matmulBackward = Us(timer.Measure(() => { MatMul.MultiplyTransposedA(dy, x, dw, n, batch, k, accumulate: true); return dw[0]; }));
                if (li > 0) matmulBackward += Us(timer.Measure(() => { MatMul.Multiply(dy, w, dx, batch, n, k, accumulate: true); return dx[0]; }));
            }
            parts.Add((name + " forward (recording)", f, matmulForward));
            parts.Add((name + " backward", fb - f, matmulBackward));
            sum += fb;
        }

        var logits = outputs[^1];
        var targets = new float[batch * MlpWorkload.Classes];
        var labels = work.Labels;
        for (int r = 0; r < batch; r++) targets[r * MlpWorkload.Classes + labels[r]] = 1;
        var dlogits = new float[logits.Length];
        double loss = Us(timer.Measure(() => Losses.SoftmaxCrossEntropyGradient(logits, targets, batch, MlpWorkload.Classes, dlogits)));
        parts.Add(("softmax cross-entropy + gradient", loss, 0));
        sum += loss;

        Optimizer adam = adamStep ? new Adam(parameters.Length, 0.003f) : new Sgd(parameters.Length, 0.01f);
        var grad = adjoints[0].Length >= parameters.Length ? adjoints[0][..parameters.Length] : Enumerable.Repeat(1e-3f, parameters.Length).ToArray();
        var theta = (float[])parameters.Clone();
        double adamUs = Us(timer.Measure(() => { adam.Step(theta, grad); return theta[0]; }));
        parts.Add((adamStep ? "Adam update (59k parameters)" : "SGD update (59k parameters)", adamUs, 0));
        sum += adamUs;

        var step = adamStep ? work.NewAdamStep(5) : work.NewSgdStep(6);
        double whole = Us(timer.Measure(step.Step));
        var gradOnly = Us(timer.Measure(() => work.Generated(0, batch)));

        double matmulTotal = 0;
        foreach (var (name, us, mm) in parts)
        {
            matmulTotal += mm;
            table.Add(name, Num(us), mm > 0 ? Num(mm) : "-", mm > 0 ? Num(us - mm) : "-", (us / whole).ToString("P0", CultureInfo.InvariantCulture));
        }
        table.Add("sum of the parts", Num(sum), Num(matmulTotal), Num(sum - matmulTotal), (sum / whole).ToString("P0", CultureInfo.InvariantCulture));
        table.Add("Sequential.LossAndGradient (measured)", Num(gradOnly), "", "", (gradOnly / whole).ToString("P0", CultureInfo.InvariantCulture));
        table.Add(adamStep ? "whole Adam step (measured)" : "whole SGD step (measured)", Num(whole), "", "", "100%");
        return table.ToString();
    }

    /// <summary>
    /// <c>matmul</c>: our float matrix multiply (AutoGrad.Kernels.MatMul) on 1024³ and the seed MLP's
    /// products at batch 256, best of 7; threads = Environment.ProcessorCount (DOTNET_PROCESSOR_COUNT=1 for one core).
    /// </summary>
    public static int RunMatMul(string? jsonPath)
    {
        var rows = new List<MatMulRow>();
        foreach (var (name, variant, m, k, n) in MatMulShapes)
        {
            var a = RandomFloats(m * k, 42);
            var b = RandomFloats(k * n, 43);
            var c = new float[m * n];
            Action multiply = variant switch
            {
                "A·B" => () => MatMul.Multiply(a, b, c, m, k, n),
                "Aᵀ·B" => () => MatMul.MultiplyTransposedA(a, b, c, m, k, n),
                _ => () => MatMul.MultiplyTransposedB(a, b, c, m, k, n),
            };
            double flops = 2.0 * m * n * k;
            int repetitions = (int)Math.Clamp(2e8 / flops, 1, 100_000);
            for (int i = 0; i < Math.Max(3, repetitions / 2); i++) multiply();
            double best = double.MaxValue;
            for (int trial = 0; trial < 7; trial++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < repetitions; i++) multiply();
                best = Math.Min(best, watch.Elapsed.TotalSeconds / repetitions);
            }
            rows.Add(new MatMulRow(name, variant, m, k, n, Environment.ProcessorCount, Math.Round(best * 1e6, 3), Math.Round(flops / best / 1e9, 2)));
            Console.Error.WriteLine($"# {name,-34} {variant,-5} {best * 1e6,10:F1} us {flops / best / 1e9,8:F1} GFLOP/s ({Environment.ProcessorCount} cores)");
        }
        if (jsonPath is not null) File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, MlpJson.Default.ListMatMulRow) + "\n");
        return 0;
    }

    /// <summary>The shapes, as bench.py's <c>sgemm</c> group: c (m × n) = a (m × k) · b (k × n), with the stated operand transposed in storage.</summary>
    public static readonly (string Name, string Variant, int M, int K, int N)[] MatMulShapes =
    [
        ("1024^3", "A·B", 1024, 1024, 1024),
        ("fc1 forward X·W1ᵀ", "A·Bᵀ", 256, 784, 64),
        ("fc2 forward", "A·Bᵀ", 256, 64, 64),
        ("fc4 forward", "A·Bᵀ", 256, 64, 10),
        ("fc1 dW = dYᵀ·X", "Aᵀ·B", 64, 256, 784),
        ("fc2 dW = dYᵀ·X", "Aᵀ·B", 64, 256, 64),
        ("fc4 dW = dYᵀ·X", "Aᵀ·B", 10, 256, 64),
        ("fc2 dX = dY·W", "A·B", 256, 64, 64),
        ("fc4 dX = dY·W", "A·B", 256, 10, 64),
    ];

    private static float[] RandomFloats(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() - 0.5);
        return values;
    }

    private static Func<double> Cycle(int batches, int batch, Func<int, int, double> call)
    {
        int next = 0;
        return () =>
        {
            int start = next * batch;
            next = next + 1 == batches ? 0 : next + 1;
            return call(start, batch);
        };
    }

    private static MlpRow Row(string name, int batch, Timer timer, Func<double> call, string check) => Row(name, batch, timer.Measure(call), call, check);

    private static MlpRow Row(string name, int batch, Timing t, Func<double> call, string check)
    {
        // All threads: the matrix multiply's fork-join workers run part of the work.
        const int calls = 20;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++) call();
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
        var row = new MlpRow(name, batch, Math.Round(t.Median * 1e6, 3), Math.Round(t.Min * 1e6, 3), Math.Round(t.Max * 1e6, 3), bytes, check);
        Console.Error.WriteLine($"# {name} batch {batch}: {row.Us} us (min {row.MinUs}, max {row.MaxUs}), {bytes:0} B/call");
        return row;
    }

    /// <summary>
    /// <paramref name="warmup"/> steps, then <paramref name="repeats"/> timed repeats of <paramref name="stepsPerRepeat"/>
    /// steps each (see <see cref="AdamSteps"/>); with <paramref name="turns"/>, the caller holds the turn on entry, and
    /// each repeat is a turn of its own.
    /// </summary>
    private static Timing TimeSteps(Func<double> step, int warmup, int repeats, int stepsPerRepeat, Turns? turns)
    {
        // A step trains the model (side effects), so no result needs keeping.
        for (int i = 0; i < warmup; i++) step();
        turns?.Pass();
        var samples = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            turns?.Take();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < stepsPerRepeat; i++) step();
            samples[r] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds / stepsPerRepeat;
            turns?.Pass();
        }
        Array.Sort(samples);
        return new Timing(samples[repeats / 2], samples[0], samples[^1], stepsPerRepeat);
    }

    private static double Us(Timing t) => t.Median * 1e6;

    private static string Num(double us) => CompareRunner.Number(us);

    private static string Spread(MlpRow r) => $"{CompareRunner.Number(r.Us)} ({CompareRunner.Number(r.MinUs)}-{CompareRunner.Number(r.MaxUs)})";

    private static string Bytes(double b) => b.ToString("0", CultureInfo.InvariantCulture);

}
