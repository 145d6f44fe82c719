using AutoGrad.NN;

namespace Mnist.Tests;

/// <summary>Bad values, outputs and data are one line in plain words naming the thing, exit code 1, before any training.</summary>
public sealed class TrainRejectsBadInputTests : IDisposable
{
    private readonly WorkFolder _work = new();

    public void Dispose() => _work.Dispose();

    private RunResult Train(params string[] more) => MnistProgram.Run(_work.Path, ["train", "--data", _work.WriteDataSet("tiny"), "--prefix", "tiny", .. more]);

    private static void AssertRefused(RunResult run, string message)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, run.Error.Trim());
        Assert.DoesNotContain("epoch ", run.Output);
    }

    [Theory]
    [InlineData("--epochs", "-1", "--epochs must be a whole number of at least 1, not -1.")]
    [InlineData("--epochs", "0", "--epochs must be a whole number of at least 1, not 0.")]
    [InlineData("--epochs", "ten", "--epochs must be a whole number of at least 1, not 'ten'.")]
    [InlineData("--epochs", "3000000000", "--epochs must be a whole number of at least 1, not '3000000000' (the largest allowed is 2,147,483,647).")]
    [InlineData("--batch-size", "0", "--batch-size must be a whole number of at least 1, not 0.")]
    [InlineData("--learning-rate", "0", "--learning-rate must be a positive number, not '0'.")]
    [InlineData("--learning-rate", "nan", "--learning-rate must be a positive number, not 'nan'.")]
    [InlineData("--target-accuracy", "2", "--target-accuracy must be a fraction above 0 and at most 1, such as 0.95, not '2'.")]
    [InlineData("--target-accuracy", "-1", "--target-accuracy must be a fraction above 0 and at most 1, such as 0.95, not '-1'.")]
    [InlineData("--target-accuracy", "nan", "--target-accuracy must be a fraction above 0 and at most 1, such as 0.95, not 'nan'.")]
    [InlineData("--patience", "0", "--patience must be a whole number of at least 1, not 0.")]
    [InlineData("--hidden", "64,,64", "--hidden '64,,64': '' is not a layer size; give positive whole numbers separated by commas, such as 64,64,64, or 'none'.")]
    public void Every_value_is_checked_in_plain_words(string option, string value, string message) => AssertRefused(Train(option, value), message);

    [Fact]
    public void Sizes_are_counted_without_overflow()
    {
        // On the embedded 784-pixel set, 785 * 5,478,275 wraps around 32 bits.
        var wrapped = MnistProgram.Run(_work.Path, "train", "--hidden", "5478275");
        Assert.Equal(1, wrapped.ExitCode);
        Assert.Equal("--hidden 5478275 with --batch-size 256: the model needs 4,355,228,635 parameters, more than the 2,147,483,591 one array can hold.", wrapped.Error.Trim());

        AssertRefused(Train("--hidden", "40000000", "--batch-size", "1"),
            "--hidden 40000000 with --batch-size 1: the model needs 3,000,000,010 parameters, more than the 2,147,483,591 one array can hold.");

        CheckpointFile.Save(_work["huge.agck"], new Checkpoint("mlp 64-40000000-10 relu", 64, 10, 1, new float[10], null));
        var evaluate = MnistProgram.Run(_work.Path, "evaluate", "--data", _work["data"], "--prefix", "tiny", "--model", "huge.agck");
        Assert.Equal(1, evaluate.ExitCode);
        Assert.Equal("The architecture 'mlp 64-40000000-10 relu' needs 3,000,000,010 parameters, more than the 2,147,483,591 one array can hold.", evaluate.Error.Trim());
    }

    [Fact]
    public void Output_paths_are_checked_before_training()
    {
        Directory.CreateDirectory(_work["folder.agck"]);
        AssertRefused(Train("--model", "folder.agck"), "--model folder.agck is a folder; give a file name, such as folder.agck/mnist.agck.");
        File.WriteAllText(_work["file"], "");
        AssertRefused(Train("--summary", "file/summary.json"), $"--summary file/summary.json: {_work["file"]} is a file, not a folder.");
        AssertRefused(Train("--plot", "file"), $"--plot file: {_work["file"]} is a file, not a folder.".Replace(_work["file"], "file"));
    }

    [Fact]
    public void A_rejected_run_leaves_a_previous_summary_as_it_was()
    {
        File.WriteAllText(_work["prev.json"], "{\"test_accuracy\": 0.97}");
        AssertRefused(Train("--epochs", "0", "--summary", "prev.json"), "--epochs must be a whole number of at least 1, not 0.");
        Assert.Equal("{\"test_accuracy\": 0.97}", File.ReadAllText(_work["prev.json"]));
    }

    [Fact]
    public void Resume_and_force_together_are_refused()
    {
        AssertRefused(Train("--model", "m.agck", "--resume", "--force"), "--resume continues the checkpoint and --force replaces it; give one of them.");
    }

    [Fact]
    public void A_labels_header_declaring_two_billion_labels_is_refused_without_allocating()
    {
        string data = _work.WriteDataSet("tiny");
        var bytes = WorkFolder.Idx(1, [int.MaxValue], new byte[400]);
        File.WriteAllBytes(Path.Combine(data, "tiny-train-labels-idx1-ubyte"), bytes);

        var run = Train();

        string file = Path.Combine(data, "tiny-train-labels-idx1-ubyte");
        AssertRefused(run, $"{file}: is truncated or has a wrong header: the header declares 2,147,483,647 labels, which take 2,147,483,655 bytes, but the file holds 408 bytes.");
    }

    [Fact]
    public void An_empty_split_names_the_data_set_and_its_files()
    {
        string data = _work.WriteDataSet("tiny");
        File.WriteAllBytes(Path.Combine(data, "tiny-t10k-images-idx3-ubyte"), WorkFolder.Idx(3, [0, 8, 8], []));
        File.WriteAllBytes(Path.Combine(data, "tiny-t10k-labels-idx1-ubyte"), WorkFolder.Idx(1, [0], []));

        AssertRefused(Train(), $"The test split of tiny (tiny-t10k-* in {data}) holds no images.");
    }
}
