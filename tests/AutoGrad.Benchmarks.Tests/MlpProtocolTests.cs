using AutoGrad.Benchmarks.Compare;
using AutoGrad.Benchmarks.Workloads;
using AutoGrad.Data;

namespace AutoGrad.Benchmarks.Tests;

/// <summary>
/// The seed MLP's training steps as compare-pytorch.sh pairs them with bench.py's: the same data and
/// the same step counts on both sides, and a network that keeps learning over the timed steps.
/// </summary>
public class MlpProtocolTests
{
    [Fact]
    public void The_steps_run_on_the_embedded_training_split_in_order()
    {
        var work = new MlpWorkload();
        var train = MnistDataSet.Load(MlpWorkload.DataDirectory).Train;

        Assert.Equal(MlpWorkload.SampleCount * MlpWorkload.Inputs, work.Images.Length);
        Assert.True(work.Images.SequenceEqual(train.Images.Pixels.AsSpan(0, work.Images.Length)));
        Assert.True(work.Labels.SequenceEqual(train.Labels.AsSpan(0, MlpWorkload.SampleCount)));
    }

    [Fact]
    public void The_Adam_step_keeps_learning_rather_than_dying()
    {
        // On random pixels and labels most ReLUs stopped firing within a few hundred steps and most
        // gradient elements were exactly zero; on the digits the loss falls and most stay live.
        var step = new MlpWorkload().NewAdamStep(5);
        double first = step.Step();
        double last = 0;
        for (int i = 0; i < 4 * MlpWorkload.AdamBatches; i++) last = step.Step();

        Assert.True(last < first / 4, $"loss {first} -> {last}");
        Assert.True(step.ZeroGradients < 59_210 / 2, $"{step.ZeroGradients} of 59,210 gradient elements are exactly zero");
    }

    [Fact]
    public void The_step_profile_marks_every_part_of_every_share()
    {
        string table = StepParts.Run(new MlpWorkload(), steps: 20);

        Assert.Contains("fc1 784->64 forward", table);
        Assert.Contains("loss and its gradient", table);
        Assert.Contains("fc1 784->64 backward", table);
        Assert.Contains("whole step", table);
        // A part that a share never marked would read 0.000 / 0.000 in its column.
        Assert.DoesNotContain("0.000 / 0.000", table);
    }

    [Fact]
    public void Bench_py_times_the_same_steps()
    {
        string bench = File.ReadAllText(Path.Combine(RepositoryRoot(), "benchmarks", "pytorch", "bench.py"));
        var (adamWarmup, adamRepeats, adamSteps) = MlpRunner.AdamSteps;
        var (sgdWarmup, sgdRepeats, sgdSteps) = MlpRunner.SgdSteps;

        Assert.Contains($"ADAM_BATCHES = {MlpWorkload.AdamBatches} ", bench);
        Assert.Contains($"SGD_SAMPLES = {MlpWorkload.SgdSamples}\n", bench);
        Assert.Equal(MlpWorkload.AdamBatches, adamSteps);
        Assert.Contains($"ADAM_STEPS = ({adamWarmup / adamSteps} * ADAM_BATCHES, {adamRepeats}, ADAM_BATCHES)", bench);
        Assert.Equal(MlpWorkload.SgdSamples, sgdWarmup);
        Assert.Contains($"SGD_STEPS = (SGD_SAMPLES, {sgdRepeats}, {sgdSteps})", bench);
    }

    [Fact]
    public async Task Two_sides_taking_turns_alternate_strictly()
    {
        string folder = Directory.CreateTempSubdirectory("turns").FullName;
        try
        {
            string first = Path.Combine(folder, "first"), second = Path.Combine(folder, "second");
            foreach (string fifo in new[] { first, second })
            {
                using var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo);
                mkfifo.WaitForExit();
                Assert.Equal(0, mkfifo.ExitCode);
            }
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            void Side(string name, string take, string pass)
            {
                using var turns = new Turns(take, pass);
                for (int i = 0; i < 50; i++)
                {
                    turns.Take();
                    log.Enqueue($"{name} starts");
                    Thread.SpinWait(1000 * (i % 7));
                    log.Enqueue($"{name} ends");
                    turns.Pass();
                }
            }
            var a = Task.Run(() => Side("a", first, second));
            var b = Task.Run(() => Side("b", second, first));
            using (var start = new FileStream(first, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0)) start.WriteByte(1);
            // A side left waiting for a turn that never comes times out here instead of hanging the run.
            await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(30));

            string[] expected = [.. Enumerable.Range(0, 100).SelectMany(i => i % 2 == 0 ? new[] { "a starts", "a ends" } : ["b starts", "b ends"])];
            Assert.Equal(expected, log.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("mlp --turns one", "--turns must be two paths separated by a comma, not 'one'.")]
    [InlineData("mlp --turns a,,b", "--turns must be two paths separated by a comma, not 'a,,b'.")]
    public void A_bad_turns_option_is_one_line(string commandLine, string message)
    {
        var run = BenchmarkProgram.Run(commandLine.Split(' '));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, run.Error.Trim());
    }

    [Fact]
    public void Steps_only_is_off_unless_asked()
    {
        Assert.False(Commands.Parse(["mlp"]).GetValue<bool>("--steps-only"));
        Assert.True(Commands.Parse(["mlp", "--steps-only"]).GetValue<bool>("--steps-only"));
    }

    [Fact]
    public void Without_turns_the_steps_take_none()
    {
        // System.CommandLine gives an absent array option as an empty array: `mlp` alone crashed on it.
        Assert.Null(Commands.OpenTurns(Commands.Parse(["mlp"]).GetValue<string[]?>("--turns")));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AutoGrad.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No AutoGrad.sln above {AppContext.BaseDirectory}.");
    }
}
