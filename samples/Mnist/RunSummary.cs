using System.Text.Json;
using AutoGrad.IO;
using AutoGrad.NN;

namespace Mnist;

/// <summary>The JSON summary of a training run (<c>--summary</c>): written atomically, and always valid JSON (an unmeasured number is null).</summary>
internal static class RunSummary
{
    public static void Write(string path, DataSource data, string device, string architecture, Optimizer optimizer, int batchSize, int seed, TrainingResult result, double testAccuracy, bool interrupted)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("data_set", data.Prefix);
            json.WriteString("data_set_name", data.Name);
            json.WriteNumber("train_samples", data.Set.Train.Count);
            json.WriteNumber("test_samples", data.Set.Test.Count);
            json.WriteString("model", architecture);
            json.WriteString("device", device);
            json.WriteString("optimizer", optimizer.Kind);
            if (float.IsFinite(optimizer.LearningRate)) json.WriteNumber("learning_rate", optimizer.LearningRate);
            else json.WriteNull("learning_rate");
            if (optimizer.Schedule is { } schedule)
            {
                json.WritePropertyName("schedule");
                schedule.WriteJson(json);
            }
            json.WriteNumber("batch_size", batchSize);
            json.WriteNumber("seed", seed);
            json.WriteNumber("ranks", result.Ranks);
            json.WriteNumber("epochs", result.LastEpoch);
            json.WriteNumber("steps", result.TotalSteps);
            Number(json, "training_seconds", Math.Round(result.TrainingTime.TotalSeconds, 3));
            Number(json, "samples_per_second", Math.Round(result.SamplesPerSecond, 1));
            Number(json, "ms_per_step", Math.Round(result.MillisecondsPerStep, 4));
            Number(json, "allreduce_ms_per_step", result.TotalSteps > 0 ? Math.Round(result.CommunicationTime.TotalMilliseconds / result.TotalSteps, 4) : 0);
            var last = result.History.Count > 0 ? result.History[^1] : (EpochMetrics?)null;
            Number(json, "final_train_loss", last is { } l ? Math.Round(l.TrainLoss, 6) : double.NaN);
            Number(json, "final_train_accuracy", last is { } a ? Math.Round(a.TrainAccuracy, 6) : double.NaN);
            Number(json, "test_accuracy", Math.Round(testAccuracy, 6));
            json.WriteString("stop_reason", result.StopReason.ToString());
            json.WriteString("stop_message", result.Message);
            json.WriteBoolean("interrupted", interrupted);
            json.WriteEndObject();
        });
    }

    /// <summary>JSON has no NaN or infinity: such a value is written as null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
