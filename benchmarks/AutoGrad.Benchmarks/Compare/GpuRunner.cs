using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.Gpu;
using AutoGrad.NN;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One device measurement: milliseconds per training step of the seed MLP.</summary>
public sealed record DeviceRow(
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("accelerator")] string Accelerator,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("ms_per_step")] double MsPerStep,
    [property: JsonPropertyName("samples_per_second")] double SamplesPerSecond,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("first_loss")] double FirstLoss,
    [property: JsonPropertyName("last_loss")] double LastLoss);

/// <summary>Source-generated JSON for the device rows.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<DeviceRow>))]
public sealed partial class DeviceJson : JsonSerializerContext;

/// <summary>
/// <c>gpu</c>: the seed MLP's whole training step (784-64-64-64-10, ReLU, softmax cross-entropy, Adam 0.003) at
/// batch 256 and 4096 (<c>--batches</c>) on each device given by <c>--devices</c> (default <c>cpu,cuda</c>; a device that is not
/// present is reported and skipped), through the same <see cref="TrainingSession"/> calls <see cref="Trainer.Fit"/>
/// makes: loss and gradient, the gradient summary it reads back, the optimizer step. Random data with MNIST's
/// shapes, copied to the device every step as in training.
/// </summary>
public static class GpuRunner
{
    /// <summary>Times <paramref name="batches"/> on each of <paramref name="names"/> for <paramref name="seconds"/> each.</summary>
    public static int Run(IReadOnlyList<string> names, double seconds, IReadOnlyList<int> batches, string? jsonPath)
    {
        var rows = new List<DeviceRow>();
        Console.Error.WriteLine($"# gpu: {Environment.Version}, {Environment.ProcessorCount} cores, {CompareRunner.CpuModel()}");
        foreach (var name in names)
        {
            if (name == "cuda" && !IlgpuDevice.IsCudaAvailable())
            {
                Console.Error.WriteLine("# cuda: no CUDA GPU or driver here; skipped (not measured)");
                continue;
            }
            using var device = Devices.FromName(name);
            string accelerator = device is IlgpuDevice ilgpu ? ilgpu.AcceleratorName : CompareRunner.CpuModel();
            foreach (int batch in batches) rows.Add(Measure(device, accelerator, batch, seconds));
        }
        var table = new TextTable("seed MLP training step (Adam)", "batch", "accelerator", "ms/step", "samples/s", "steps timed", "loss first -> last");
        foreach (var r in rows)
            table.Add(r.Device, r.Batch.ToString(CultureInfo.InvariantCulture), r.Accelerator, r.MsPerStep.ToString("0.000", CultureInfo.InvariantCulture),
                r.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture), r.Steps.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{r.FirstLoss:F4} -> {r.LastLoss:F4}"));
        Console.WriteLine(table);
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, DeviceJson.Default.ListDeviceRow) + "\n");
            Console.Error.WriteLine($"# wrote {jsonPath}");
        }
        return rows.All(r => double.IsFinite(r.LastLoss)) ? 0 : 1;
    }

    private static DeviceRow Measure(NN.Device device, string accelerator, int batch, double seconds)
    {
        const int inputs = 784, classes = 10, distinctBatches = 4;
        var random = new Random(4);
        var images = new float[distinctBatches * batch * inputs];
        var labels = new byte[distinctBatches * batch];
        for (int i = 0; i < images.Length; i++) images[i] = (float)random.NextDouble();
        for (int i = 0; i < labels.Length; i++) labels[i] = (byte)random.Next(classes);
        var model = Sequential.Perceptron(inputs, [64, 64, 64], classes).Initialize(5);
        using var session = device.Open(model, new Adam(model.Parameters.Length, 0.003f));

        int steps = 0;
        float Step()
        {
            int b = steps++ % distinctBatches;
            float loss = session.LossAndGradient(images.AsSpan(b * batch * inputs, batch * inputs), labels.AsSpan(b * batch, batch), batch);
            _ = session.SummarizeGradient();
            session.Step();
            return loss;
        }
        // Warm-up: compiles the kernels (ILGPU) and the JIT's code paths.
        float first = Step();
        for (int i = 0; i < 3; i++) Step();
        steps = 0;
        float last = first;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || steps < 3) last = Step();
        double ms = clock.Elapsed.TotalMilliseconds / steps;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {device.Name} batch {batch}: {ms:F3} ms/step over {steps} steps"));
        return new DeviceRow(device.Name, accelerator, batch, ms, batch / (ms / 1000), steps, first, last);
    }

}
