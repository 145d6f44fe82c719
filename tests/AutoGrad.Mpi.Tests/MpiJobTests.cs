using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AutoGrad.Tests;

namespace AutoGrad.Mpi.Tests;

/// <summary>
/// The MNIST sample under <c>mpiexec</c>, as a user runs it. These tests need MPICH's mpiexec on the
/// PATH and fail without it (CI installs it). Every run is bounded: a job that outlives its limit is
/// killed and the test fails.
/// </summary>
public sealed class MpiJobTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);
    private readonly string _folder = Directory.CreateTempSubdirectory("autograd-mpi-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Two_ranks_train_the_model_one_process_trains()
    {
        string one = Path.Combine(_folder, "one.json"), two = Path.Combine(_folder, "two.json");
        var plain = Start("dotnet", [Sample, .. Training(3), "--summary", one]);
        Assert.True(plain.ExitCode == 0, plain.Output);
        var job = Mpiexec(["-n", "2", "dotnet", Sample, .. Training(3), "--summary", two, "--model", Path.Combine(_folder, "two.agck")]);
        Assert.True(job.ExitCode == 0, job.Output);

        using var single = JsonDocument.Parse(File.ReadAllText(one));
        using var parallel = JsonDocument.Parse(File.ReadAllText(two));
        Assert.Equal(1, single.RootElement.GetProperty("ranks").GetInt32());
        Assert.Equal(2, parallel.RootElement.GetProperty("ranks").GetInt32());
        double loss1 = single.RootElement.GetProperty("final_train_loss").GetDouble(), loss2 = parallel.RootElement.GetProperty("final_train_loss").GetDouble();
        Assert.True(Math.Abs(loss1 - loss2) <= 1e-3 * loss1, $"final training loss: one process {loss1}, two ranks {loss2}");
        double accuracy1 = single.RootElement.GetProperty("test_accuracy").GetDouble(), accuracy2 = parallel.RootElement.GetProperty("test_accuracy").GetDouble();
        Assert.True(Math.Abs(accuracy1 - accuracy2) <= 0.005, $"test accuracy: one process {accuracy1}, two ranks {accuracy2}");
        // Only rank 0 reports and writes.
        Assert.Single(job.Output.Split('\n'), line => line.StartsWith("test accuracy", StringComparison.Ordinal));
        Assert.Contains("over 2 ranks", job.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "two.agck")));
    }

    [Fact]
    public void Ranks_that_disagree_on_the_model_stop_with_a_message()
    {
        var job = Mpiexec(["-n", "1", "dotnet", Sample, .. Training(1, seed: 1), ":", "-n", "1", "dotnet", Sample, .. Training(1, seed: 2)]);
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("The 2 ranks disagree on the model's parameters, the batch size, seed and shuffling.", job.Output);
    }

    [Fact]
    public void A_rank_that_fails_ends_the_job()
    {
        var job = Mpiexec(["-n", "1", "dotnet", Sample, .. Training(50), ":", "-n", "1", "dotnet", Sample, .. Training(50), "--data", Path.Combine(_folder, "missing")]);
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1: ", job.Output);
        Assert.DoesNotContain("Trained to epoch", job.Output);
    }

    [Fact]
    public void A_rank_that_stops_answering_ends_the_job_after_the_timeout()
    {
        // Rank 1 only prints the help and leaves: it never joins the first sum, so rank 0 waits in it and rank 1 in
        // MPI_Finalize until one of them times out.
        var stopwatch = Stopwatch.StartNew();
        var job = Mpiexec(["-genv", "AUTOGRAD_MPI_TIMEOUT", "5", "-n", "1", "dotnet", Sample, .. Training(50), ":", "-n", "1", "dotnet", Sample, "--help"]);
        Assert.NotEqual(0, job.ExitCode);
        Assert.Matches("AutoGrad.Mpi: rank [01] of 2 waited more than 5 s in MPI_(Allreduce|Finalize)", job.Output);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(90), $"the job took {stopwatch.Elapsed}");
    }

    private static string[] Training(int epochs, int seed = 1) =>
        ["train", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The sample's program, built beside this test project in the same configuration.</summary>
    private static string Sample
    {
        get
        {
            string configuration = typeof(MpiJobTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            string path = Path.Combine(RepositoryPaths.Root, "samples", "Mnist", "bin", configuration, "net10.0", "Mnist.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build samples/Mnist in {configuration}.");
            return path;
        }
    }

    private static (int ExitCode, string Output) Mpiexec(string[] arguments)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "mpiexec")));
        Assert.True(found, "mpiexec is not on the PATH: install MPICH (apt-get install -y mpich); .ci/run does.");
        return Start("mpiexec", arguments);
    }

    private static (int ExitCode, string Output) Start(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // A job started from a job would take the outer job's launch variables for its own.
        foreach (var name in new[] { "PMI_RANK", "PMI_SIZE", "PMI_FD", "PMI_PORT" }) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{program} {string.Join(' ', arguments)}' did not finish within {s_limit.TotalMinutes} minutes and was killed.");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
