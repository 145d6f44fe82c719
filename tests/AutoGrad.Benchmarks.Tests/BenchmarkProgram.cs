using System.Diagnostics;

namespace AutoGrad.Benchmarks.Tests;

/// <summary>What one run of the runner did.</summary>
internal sealed record RunResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs the built benchmark runner in its own process, as benchmarks/*.sh do.</summary>
internal static class BenchmarkProgram
{
    public static RunResult Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AutoGrad.Benchmarks.dll"));
        foreach (string arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"AutoGrad.Benchmarks {string.Join(' ', args)} ran for more than two minutes.");
        }
        return new RunResult(process.ExitCode, output.Result, error.Result);
    }
}
