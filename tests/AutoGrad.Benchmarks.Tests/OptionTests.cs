namespace AutoGrad.Benchmarks.Tests;

/// <summary>The runner's command line: a bad option is one line in plain words, exit code 1, before anything runs.</summary>
public class OptionTests
{
    [Theory]
    [InlineData("gpu --seconds 0", "--seconds must be a positive number, not '0'.")]
    [InlineData("gpu --seconds two", "--seconds must be a positive number, not 'two'.")]
    [InlineData("gpu --batches 256,,4096", "--batches '256,,4096': '' is not a positive whole number; give them separated by commas, such as 256,4096.")]
    [InlineData("gpu --batches -1", "--batches '-1': '-1' is not a positive whole number; give them separated by commas, such as 256,4096.")]
    [InlineData("gpu --devices cpu,tpu", "--devices 'cpu,tpu': 'tpu' is not a device; give some of cpu, ilgpu-cpu, cuda, auto separated by commas.")]
    [InlineData("scaling --sizes 10,ten", "--sizes '10,ten': 'ten' is not a positive whole number; give them separated by commas, such as 10,100,1000,10000,100000,1000000.")]
    [InlineData("adbench --instance gmm", "--instance must be one of gmm_d2_K5, gmm_d10_K25, gmm_d64_K25, ba1, lstm_l2_c1024, lstm_l4_c1024, not 'gmm'.")]
    [InlineData("adbench", "Option '--instance' is required.")]
    [InlineData("compare --jsn out.json", "Unrecognized command or argument '--jsn'.")]
    [InlineData("modes --json", "Required argument missing for option: '--json'.")]
    [InlineData("checkpoint --steps 0", "--steps must be a positive whole number, not '0'.")]
    public void A_bad_option_is_one_line_and_exit_code_1(string commandLine, string message)
    {
        var run = BenchmarkProgram.Run(commandLine.Split(' '));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(message, run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Values_are_parsed_into_their_types()
    {
        var parse = Commands.Parse(["gpu", "--devices", "cpu,ilgpu-cpu", "--seconds", "0.5", "--batches", "8,16", "--json", "rows.json"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["cpu", "ilgpu-cpu"], parse.GetValue<string[]>("--devices")!);
        Assert.Equal(0.5, parse.GetValue<double>("--seconds"));
        Assert.Equal([8, 16], parse.GetValue<int[]>("--batches")!);
        Assert.Equal("rows.json", parse.GetValue<string?>("--json"));
    }

    [Fact]
    public void Defaults_are_the_ones_the_scripts_rely_on()
    {
        var gpu = Commands.Parse(["gpu"]);
        Assert.Equal(["cpu", "cuda"], gpu.GetValue<string[]>("--devices")!);
        Assert.Equal(2, gpu.GetValue<double>("--seconds"));
        Assert.Equal([256, 4096], gpu.GetValue<int[]>("--batches")!);
        Assert.Null(gpu.GetValue<string?>("--json"));
        Assert.Equal(Compare.ScalingRunner.Sizes, Commands.Parse(["scaling"]).GetValue<int[]>("--sizes"));
        Assert.False(Commands.Parse(["mlp"]).GetValue<bool>("--profile"));
    }

    [Fact]
    public void Help_lists_every_mode()
    {
        var run = BenchmarkProgram.Run("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string mode in Commands.Modes) Assert.Contains($"  {mode} ", run.Output);
    }
}
