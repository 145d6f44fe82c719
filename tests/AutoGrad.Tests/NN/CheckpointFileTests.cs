using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autograd-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Round_trips_parameters_optimizer_state_and_epoch_and_leaves_no_temporary_file()
    {
        var model = TestData.PlaneModel(4);
        var optimizer = new Adam(model.Parameters.Length, 0.02f);
        Trainer.Fit(model, optimizer, TestData.Plane(50, 1), null, new TrainingOptions { Epochs = 2, BatchSize = 10 });
        string path = Path.Combine(_directory, "nested", "model.agck");
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", model, optimizer, 2));
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", model, optimizer, 2)); // overwrites

        var loaded = CheckpointFile.Load(path);
        Assert.Equal("mlp 2-8-2 relu", loaded.Architecture);
        Assert.Equal((2, 2, 2), (loaded.InputSize, loaded.OutputSize, loaded.Epoch));
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters);
        Assert.NotNull(loaded.Optimizer);
        Assert.Equal(("adam", 0.02f, optimizer.StepCount), (loaded.Optimizer.Kind, loaded.Optimizer.LearningRate, loaded.Optimizer.StepCount));
        Assert.Equal(optimizer.State, loaded.Optimizer.State);
        Assert.Equal(["model.agck"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly_like_an_uninterrupted_run()
    {
        var train = TestData.Plane(120, 1);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 9 };

        var straight = TestData.PlaneModel(2);
        Trainer.Fit(straight, new Adam(straight.Parameters.Length, 0.03f), train, null, options);

        var first = TestData.PlaneModel(2);
        var firstOptimizer = new Adam(first.Parameters.Length, 0.03f);
        var half = Trainer.Fit(first, firstOptimizer, train, null, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 9 });
        string path = Path.Combine(_directory, "half.agck");
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", first, firstOptimizer, half.LastEpoch));

        var checkpoint = CheckpointFile.Load(path);
        var resumed = Sequential.Perceptron(2, [8], 2);
        var resumedOptimizer = new Adam(resumed.Parameters.Length, 0.03f);
        checkpoint.RestoreInto(resumed, resumedOptimizer);
        Trainer.Fit(resumed, resumedOptimizer, train, null, new TrainingOptions { Epochs = 4, StartEpoch = checkpoint.Epoch, BatchSize = 16, Seed = 9 });

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum_and_names_the_file()
    {
        string path = SaveSmall();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path));
        Assert.Equal(path, error.FileName);
        Assert.StartsWith(path + ": is corrupt: its SHA-256 checksum", error.Message);
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        string path = SaveSmall();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path));
        Assert.Contains($"is truncated: its header declares {bytes.Length} bytes but the file has {bytes.Length - 10}", error.Message);

        File.WriteAllBytes(path, bytes[..6]);
        Assert.Contains("is truncated", Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void Wrong_magic_and_unknown_versions_are_named()
    {
        string path = SaveSmall();
        var bytes = File.ReadAllBytes(path);
        bytes[4] = 4;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("has format version 4; this build reads versions 1 to 3", Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path)).Message);

        File.WriteAllText(path, "epoch,train_loss\n");
        Assert.Contains("is not an AutoGrad checkpoint", Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path)).Message);

        Assert.Throws<FileNotFoundException>(() => CheckpointFile.Load(Path.Combine(_directory, "missing.agck")));
    }

    [Fact]
    public void Restoring_into_a_model_of_another_shape_is_rejected()
    {
        var checkpoint = CheckpointFile.Load(SaveSmall());
        var error = Assert.Throws<ArgumentException>(() => checkpoint.RestoreInto(Sequential.Perceptron(2, [4], 2)));
        Assert.Contains("mlp 2-8-2 relu", error.Message);
    }

    [Fact]
    public void Run_settings_round_trip_and_a_version_2_file_still_reads_with_none()
    {
        var model = TestData.PlaneModel(1);
        var settings = new Dictionary<string, string> { ["data_set"] = "fashion", ["batch_size"] = "256", ["note"] = "ünïcode \"quoted\"" };
        string path = Path.Combine(_directory, "settings.agck");
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", model, new Adam(model.Parameters.Length, 0.01f), 1, settings));
        Assert.Equal(settings, CheckpointFile.Load(path).Settings);

        // Version 2 ended after the schedule: drop the settings field, then fix the version, length and checksum.
        var bytes = File.ReadAllBytes(path);
        int settingsLength = 4 + System.Text.Encoding.UTF8.GetByteCount(System.Text.Json.JsonSerializer.Serialize(settings));
        var body = bytes[..(bytes.Length - 32 - settingsLength)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), body.Length + 32);
        File.WriteAllBytes(path, [.. body, .. System.Security.Cryptography.SHA256.HashData(body)]);
        var old = CheckpointFile.Load(path);
        Assert.Empty(old.Settings);
        Assert.Equal(model.Parameters.ToArray(), old.Parameters);
        Assert.Equal("adam", old.Optimizer?.Kind);
    }

    [Fact]
    public void Saving_removes_temporaries_that_killed_writes_left_but_not_those_of_a_running_process()
    {
        string path = SaveSmall();
        string dead = Path.Combine(_directory, $".small.agck.{int.MaxValue - 7}.0123456789abcdef.tmp");
        string alive = Path.Combine(_directory, $".small.agck.{Environment.ProcessId}.fedcba9876543210.tmp");
        string other = Path.Combine(_directory, $".other.agck.{int.MaxValue - 7}.0123456789abcdef.tmp");
        foreach (var file in new[] { dead, alive, other }) File.WriteAllText(file, "half a checkpoint");
        SaveSmall();
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(other));
    }

    private string SaveSmall()
    {
        var model = TestData.PlaneModel(1);
        string path = Path.Combine(_directory, "small.agck");
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", model, new MomentumSgd(model.Parameters.Length, 0.1f), 3));
        return path;
    }
}
