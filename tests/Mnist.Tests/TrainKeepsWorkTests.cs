using System.Text.Json;
using AutoGrad.NN;

namespace Mnist.Tests;

/// <summary>A training run never loses work: checkpoints every epoch, Ctrl-C, refusing to replace a checkpoint, resuming exactly.</summary>
public sealed class TrainKeepsWorkTests : IDisposable
{
    private readonly WorkFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Tiny(params string[] more) => ["train", "--data", _work.WriteDataSet("tiny"), "--prefix", "tiny", "--hidden", "16", .. more];

    [Fact]
    public async Task Ctrl_c_finishes_the_step_keeps_the_last_epochs_checkpoint_writes_the_summary_and_exits_130()
    {
        using var process = MnistProgram.Start(_work.Path, Tiny("--epochs", "100000", "--batch-size", "1", "--model", "m.agck", "--summary", "s.json"));
        var error = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch   2", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        MnistProgram.Interrupt(process);
        string rest = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Interrupted by Ctrl-C", rest);
        var checkpoint = CheckpointFile.Load(_work["m.agck"]);
        Assert.True(checkpoint.Epoch >= 2, rest);
        Assert.Contains($"m.agck holds the model at the end of epoch {checkpoint.Epoch} (the interrupted epoch's steps are not in it)", rest);
        using var summary = JsonDocument.Parse(File.ReadAllText(_work["s.json"]));
        Assert.True(summary.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal("Cancelled", summary.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(checkpoint.Epoch, summary.RootElement.GetProperty("epochs").GetInt32());
        Assert.Empty(Directory.GetFiles(_work.Path, "*.tmp"));
        Assert.DoesNotContain("   at ", await error);
    }

    [Fact]
    public async Task A_second_ctrl_c_aborts_at_once_with_exit_130()
    {
        // Drawing the curves after the first Ctrl-C takes long enough (ScottPlot starts up) for the second to arrive.
        using var process = MnistProgram.Start(_work.Path, Tiny("--epochs", "100000", "--batch-size", "1", "--model", "m.agck", "--plot", "curves"));
        while (await process.StandardOutput.ReadLineAsync() is { } first && !first.StartsWith("epoch   1", StringComparison.Ordinal)) { }
        var output = process.StandardOutput.ReadToEndAsync();
        MnistProgram.Interrupt(process);
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.StartsWith("Ctrl-C: stopping", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        MnistProgram.Interrupt(process);
        string error = await process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Aborted by a second Ctrl-C", error);
        Assert.DoesNotContain("wrote", await output);
    }

    [Fact]
    public void An_existing_checkpoint_is_never_replaced_without_resume_or_force()
    {
        Assert.Equal(0, MnistProgram.Run(_work.Path, Tiny("--epochs", "2", "--model", "keep.agck", "--batch-size", "20")).ExitCode);
        var trained = File.ReadAllBytes(_work["keep.agck"]);

        var refused = MnistProgram.Run(_work.Path, Tiny("--epochs", "1", "--model", "keep.agck"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("--model keep.agck already holds a checkpoint of mlp 64-16-10 relu at epoch 2. Add --resume to continue training it, or --force to replace it with a new model.", refused.Error.Trim());
        Assert.DoesNotContain("epoch   1", refused.Output);
        Assert.Equal(trained, File.ReadAllBytes(_work["keep.agck"]));

        Assert.Equal(0, MnistProgram.Run(_work.Path, Tiny("--epochs", "1", "--model", "keep.agck", "--force")).ExitCode);
        Assert.Equal(1, CheckpointFile.Load(_work["keep.agck"]).Epoch);
    }

    [Fact]
    public void Resume_restores_every_setting_and_continues_exactly_like_an_uninterrupted_run()
    {
        string[] settings = ["--learning-rate", "0.05", "--optimizer", "momentum", "--seed", "7", "--batch-size", "30", "--init", "glorot"];
        Assert.Equal(0, MnistProgram.Run(_work.Path, Tiny(["--epochs", "4", "--model", "straight.agck", .. settings])).ExitCode);
        Assert.Equal(0, MnistProgram.Run(_work.Path, Tiny(["--epochs", "2", "--model", "split.agck", .. settings])).ExitCode);

        // Only the data and the new last epoch: everything else comes from the checkpoint.
        var resumed = MnistProgram.Run(_work.Path, "train", "--data", _work["data"], "--epochs", "4", "--model", "split.agck", "--resume");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("Resuming mlp 64-16-10 relu with momentum from epoch 2", resumed.Output);
        Assert.Contains("lr constant 0.05, batch 30; 400 training and 100 test images of tiny", resumed.Output);
        Assert.Equal(File.ReadAllBytes(_work["straight.agck"]), File.ReadAllBytes(_work["split.agck"]));
    }

    [Theory]
    [InlineData("--hidden", "32", "16")]
    [InlineData("--activation", "tanh", "relu")]
    [InlineData("--optimizer", "sgd", "adam")]
    [InlineData("--learning-rate", "0.01", "0.003")]
    [InlineData("--batch-size", "50", "20")]
    [InlineData("--init", "he", "UniformFanIn")]
    [InlineData("--seed", "2", "1")]
    [InlineData("--prefix", "other", "tiny")]
    public void An_option_that_conflicts_with_the_checkpoint_is_an_error_naming_it(string option, string value, string saved)
    {
        File.WriteAllBytes(_work["m.agck"], s_oneEpoch.Value);

        var run = MnistProgram.Run(_work.Path, "train", "--data", _work.WriteDataSet("tiny"), "--epochs", "2", "--model", "m.agck", "--resume", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{option} {value} conflicts with the checkpoint m.agck, which has {saved}. Leave {option} out to continue with the checkpoint's value, or start a new model with --force.", run.Error.Trim());
    }

    /// <summary>One epoch of the tiny set with the defaults but --hidden 16 and --batch-size 20, trained once for all the conflict cases.</summary>
    private static readonly Lazy<byte[]> s_oneEpoch = new(() =>
    {
        using var work = new WorkFolder();
        var run = MnistProgram.Run(work.Path, "train", "--data", work.WriteDataSet("tiny"), "--prefix", "tiny", "--hidden", "16", "--batch-size", "20", "--epochs", "1", "--model", "m.agck");
        Assert.True(run.ExitCode == 0, run.ToString());
        return File.ReadAllBytes(work["m.agck"]);
    });

    [Fact]
    public void The_data_set_is_named_in_messages_and_recorded_in_the_checkpoint_summary_and_chart()
    {
        var run = MnistProgram.Run(_work.Path, Tiny("--epochs", "1", "--model", "m.agck", "--summary", "out/s.json", "--plot", "out/curves"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("400 training and 100 test images of tiny", run.Output);
        Assert.Equal("tiny", CheckpointFile.Load(_work["m.agck"]).Settings["data_set"]);
        using var summary = JsonDocument.Parse(File.ReadAllText(_work["out/s.json"]));
        Assert.Equal("tiny", summary.RootElement.GetProperty("data_set").GetString());
        Assert.Contains("tiny: mlp 64-16-10 relu, adam", File.ReadAllText(_work["out/curves/training.svg"]));
        Assert.True(File.Exists(_work["out/curves/training.png"]));

        var evaluate = MnistProgram.Run(_work.Path, "evaluate", "--data", _work["data"], "--model", "m.agck");
        Assert.Equal(0, evaluate.ExitCode);
        Assert.Contains("on 100 images of tiny", evaluate.Output);
    }

    [Fact]
    public void Stale_temporaries_of_the_outputs_are_removed()
    {
        File.WriteAllText(_work[$".m.agck.{int.MaxValue - 3}.0123456789abcdef.tmp"], "what a killed run left");
        File.WriteAllText(_work[$".s.json.{int.MaxValue - 3}.0123456789abcdef.tmp"], "{\"trunc");

        var run = MnistProgram.Run(_work.Path, Tiny("--epochs", "1", "--model", "m.agck", "--summary", "s.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Removed 2 temporary files that interrupted writes had left.", run.Output);
        Assert.Empty(Directory.GetFiles(_work.Path, "*.tmp"));
    }
}
