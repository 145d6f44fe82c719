using System.Diagnostics;
using System.Globalization;
using AutoGrad.Benchmarks.Workloads;
using AutoGrad.Kernels;
using AutoGrad.NN;
using AutoGrad.NN.Layers;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// Where the benchmark's Adam step (batch 256) goes, measured inside the library's own step: a
/// <see cref="Sequential.PartTrace"/> marks each part (each layer's forward pass, the loss, each layer's
/// backward pass) on the thread of each share of the batch's rows (one per core, see
/// <see cref="Sequential.LossAndGradient"/>), and the step's remainder, summing the shares' gradients
/// and handing work between the cores, is the call's time less its slowest share. The steps run on the
/// benchmark's batches in turn (the first layer reads a batch it has not read for 30 steps, as in
/// training). Run it on two cores and on one (<c>DOTNET_PROCESSOR_COUNT=1</c>) to compare.
/// </summary>
public static class StepParts
{
    /// <summary>Warm-up steps before the timed ones, as <see cref="MlpRunner.AdamSteps"/>.</summary>
    private static int WarmupSteps => MlpRunner.AdamSteps.Warmup;

    /// <summary>Times <paramref name="steps"/> steps; returns the table: per part and share, the tenth percentile and median.</summary>
    public static string Run(MlpWorkload work, int steps = 2000)
    {
        var model = MlpWorkload.NewModel(5);
        var adam = new Adam(model.Parameters.Length, 0.003f);
        var gradient = new float[model.Parameters.Length];
        int shards = model.ShardCount(256), layers = model.Layers.Count, parts = 2 * layers + 1;
        // samples[shard][part][step]; each shard's last mark on an array of its own (no cache line written by two cores).
        var samples = new double[shards][][];
        var last = new long[shards][];
        for (int s = 0; s < shards; s++)
        {
            samples[s] = new double[parts][];
            for (int p = 0; p < parts; p++) samples[s][p] = new double[steps];
            last[s] = new long[16];
        }
        var call = new double[steps];
        var update = new double[steps];
        var remainder = new double[steps];
        int current = -1;
        model.PartTrace = (shard, part) =>
        {
            long now = Stopwatch.GetTimestamp();
            if (part > 0 && current >= 0) samples[shard][part - 1][current] = Stopwatch.GetElapsedTime(last[shard][0], now).TotalMicroseconds;
            last[shard][0] = now;
        };
        for (int s = -WarmupSteps; s < steps; s++)
        {
            int start = (s + WarmupSteps) % MlpWorkload.AdamBatches * 256;
            current = s;
            long begin = Stopwatch.GetTimestamp();
            model.LossAndGradient(work.ImageBatch(start, 256), work.LabelBatch(start, 256), 256, gradient);
            long beforeUpdate = Stopwatch.GetTimestamp();
            adam.Step(model.Parameters, gradient);
            long end = Stopwatch.GetTimestamp();
            if (s < 0) continue;
            call[s] = Stopwatch.GetElapsedTime(begin, beforeUpdate).TotalMicroseconds;
            update[s] = Stopwatch.GetElapsedTime(beforeUpdate, end).TotalMicroseconds;
            double slowest = 0;
            for (int shard = 0; shard < shards; shard++)
            {
                double total = 0;
                for (int p = 0; p < parts; p++) total += samples[shard][p][s];
                slowest = Math.Max(slowest, total);
            }
            remainder[s] = call[s] - slowest;
        }
        model.PartTrace = null;

        var names = new List<string>();
        for (int i = 0; i < layers; i++) names.Add($"{Describe(model.Layers[i], i)} forward");
        names.Add("loss and its gradient");
        for (int i = layers - 1; i >= 0; i--) names.Add($"{Describe(model.Layers[i], i)} backward");

        var totals = new double[steps];
        for (int s = 0; s < steps; s++) totals[s] = call[s] + update[s];
        double step = Median(totals);
        string[] headers = [$"Adam step, batch 256, inside the step ({Environment.ProcessorCount} cores, {shards} shares of {256 / shards} rows, {steps:N0} steps)",
            .. Enumerable.Range(1, shards).Select(s => $"share {s}: tenth percentile / median us"), "share of the median step"];
        var table = new TextTable(headers);
        for (int p = 0; p < parts; p++)
        {
            var cells = new List<string> { names[p] };
            double slowest = 0;
            for (int shard = 0; shard < shards; shard++)
            {
                cells.Add($"{CompareRunner.Number(Percentile(samples[shard][p], 0.1))} / {CompareRunner.Number(Median(samples[shard][p]))}");
                slowest = Math.Max(slowest, Median(samples[shard][p]));
            }
            cells.Add(Share(slowest, step));
            table.Add([.. cells]);
        }
        void Whole(string name, double[] values)
        {
            string cell = $"{CompareRunner.Number(Percentile(values, 0.1))} / {CompareRunner.Number(Median(values))}";
            table.Add([name, .. Enumerable.Range(0, shards).Select(s => s == 0 ? cell : ""), Share(Median(values), step)]);
        }
        Whole(shards > 1 ? "summing the shares' gradients, hand-overs" : "rest of the call", remainder);
        Whole("Sequential.LossAndGradient", call);
        Whole($"Adam update ({model.Parameters.Length:N0} parameters)", update);
        Whole("whole step", totals);
        return table.ToString();
    }

    private static string Share(double part, double step) => (part / step).ToString("P1", CultureInfo.InvariantCulture);

    private static double Median(double[] values) => Percentile(values, 0.5);

    private static double Percentile(double[] values, double fraction)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)(sorted.Length * fraction)];
    }

    private static string Describe(Layer layer, int index) => layer is Dense
        ? $"fc{index / 2 + 1} {layer.InputSize}->{layer.OutputSize}"
        : $"relu {index / 2 + 1}";
}
