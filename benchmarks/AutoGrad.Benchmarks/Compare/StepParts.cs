using System.Diagnostics;
using System.Globalization;
using AutoGrad.Benchmarks.Workloads;
using AutoGrad.Kernels;
using AutoGrad.NN;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// Where the benchmark's Adam step (batch 256) goes, measured inside the step rather than part by part
/// in isolation: the calls of <see cref="Sequential.LossAndGradient"/> (each Dense layer's forward with
/// its bias, each ReLU, the loss, each layer's gradients, dW and db only for the first) and the Adam
/// update, in that order, on the benchmark's batches in turn (so the first layer reads a batch it has
/// not read for 30 steps, as in training), with a Stopwatch mark after each. Run it on two cores and on
/// one (<c>DOTNET_PROCESSOR_COUNT=1</c>) to see what the fork-join gains per part.
/// </summary>
public static class StepParts
{
    /// <summary>Warm-up steps before the timed ones, as <see cref="MlpRunner.AdamSteps"/>.</summary>
    private static int WarmupSteps => MlpRunner.AdamSteps.Warmup;

    /// <summary>
    /// Times <paramref name="steps"/> steps; returns the table (tenth percentile and median per part,
    /// and the median's share of the median step) and whether the parts compute the gradient
    /// <see cref="Sequential.LossAndGradient"/> does (compared exactly, on the same batch and parameters).
    /// </summary>
    public static (string Table, bool SameGradient) Run(MlpWorkload work, int steps = 2000)
    {
        var model = MlpWorkload.NewModel(5);
        var parts = new Parts(model);
        var adam = new Adam(model.Parameters.Length, 0.003f);
        var samples = new double[parts.Names.Length + 2][];
        for (int p = 0; p < samples.Length; p++) samples[p] = new double[steps];
        for (int s = -WarmupSteps; s < steps; s++)
        {
            int start = (s + WarmupSteps) % MlpWorkload.AdamBatches * 256;
            long begin = Stopwatch.GetTimestamp();
            parts.LossAndGradient(work.ImageBatch(start, 256), work.LabelBatch(start, 256), s >= 0 ? samples : null, s);
            long beforeUpdate = Stopwatch.GetTimestamp();
            adam.Step(model.Parameters, parts.Gradient);
            long end = Stopwatch.GetTimestamp();
            if (s < 0) continue;
            samples[^2][s] = Stopwatch.GetElapsedTime(beforeUpdate, end).TotalMicroseconds;
            samples[^1][s] = Stopwatch.GetElapsedTime(begin, end).TotalMicroseconds;
        }

        var reference = new float[model.Parameters.Length];
        model.LossAndGradient(work.ImageBatch(0, 256), work.LabelBatch(0, 256), 256, reference);
        parts.LossAndGradient(work.ImageBatch(0, 256), work.LabelBatch(0, 256), null, 0);
        bool same = parts.Gradient.AsSpan().SequenceEqual(reference);

        string[] names = [.. parts.Names, "Adam update (59,210 parameters)", "whole step"];
        double step = Median(samples[^1]);
        var table = new TextTable($"Adam step, batch 256, inside the step ({Environment.ProcessorCount} cores, {steps:N0} steps)",
            "tenth percentile us", "median us", "share of the median step");
        for (int p = 0; p < names.Length; p++)
        {
            double median = Median(samples[p]);
            Array.Sort(samples[p]);
            table.Add(names[p], CompareRunner.Number(samples[p][steps / 10]), CompareRunner.Number(median),
                (median / step).ToString("P1", CultureInfo.InvariantCulture));
        }
        return (table + Environment.NewLine + $"gradient of the parts {(same ? "equals" : "DIFFERS from")} Sequential.LossAndGradient's", same);
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary><see cref="Sequential.LossAndGradient"/>'s calls for a Dense/ReLU stack, one by one, with buffers of its own.</summary>
    private sealed class Parts
    {
        private readonly Sequential _model;
        private readonly IReadOnlyList<Layer> _layers;
        private readonly int[] _offsets;
        private readonly float[][] _activations, _adjoints;

        public Parts(Sequential model)
        {
            _model = model;
            _layers = model.Layers;
            _offsets = new int[_layers.Count + 1];
            for (int i = 0; i < _layers.Count; i++) _offsets[i + 1] = _offsets[i] + _layers[i].ParameterCount;
            _activations = [.. _layers.Select(l => new float[256 * l.OutputSize])];
            _adjoints = [.. _layers.Select(l => new float[256 * l.OutputSize])];
            Gradient = new float[model.Parameters.Length];
            Names = [.. _layers.Select((l, i) => $"{Describe(l, i)} forward"), "loss and its gradient", .. _layers.Select((l, i) => $"{Describe(l, i)} backward").Reverse()];
        }

        public string[] Names { get; }

        public float[] Gradient { get; }

        /// <summary>The forward and backward passes; when <paramref name="samples"/> is given, each part's microseconds go to <c>samples[part][step]</c>.</summary>
        public void LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, double[][]? samples, int step)
        {
            int part = 0;
            long last = Stopwatch.GetTimestamp();
            void Mark()
            {
                long now = Stopwatch.GetTimestamp();
                if (samples is not null) samples[part][step] = Stopwatch.GetElapsedTime(last, now).TotalMicroseconds;
                part++;
                last = now;
            }

            for (int i = 0; i < _layers.Count; i++)
            {
                ReadOnlySpan<float> x = i == 0 ? inputs : _activations[i - 1];
                if (_layers[i] is Dense dense) dense.ForwardUnrecorded(Parameters(_model.Parameters, i), x, _activations[i], 256);
                else ActivationKernels.Relu(x, _activations[i]);
                Mark();
            }
            Losses.SparseSoftmaxCrossEntropyGradient(_activations[^1], labels, 256, _model.OutputSize, _adjoints[^1]);
            Mark();
            for (int i = _layers.Count - 1; i >= 0; i--)
            {
                ReadOnlySpan<float> x = i == 0 ? inputs : _activations[i - 1];
                Span<float> dx = i == 0 ? default : _adjoints[i - 1];
                if (_layers[i] is Dense dense) dense.WriteGradients(x, _adjoints[i], dx, Parameters(_model.Parameters, i), Parameters(Gradient, i), 256);
                else ActivationKernels.ReluBackward(x, _adjoints[i], dx);
                Mark();
            }
        }

        private Span<float> Parameters(Span<float> all, int layer) => all[_offsets[layer].._offsets[layer + 1]];

        private static string Describe(Layer layer, int index) => layer is Dense
            ? $"fc{index / 2 + 1} {layer.InputSize}->{layer.OutputSize}"
            : $"relu {index / 2 + 1}";
    }
}
