using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.ADBench;
using AutoGrad.Benchmarks.Workloads;

namespace AutoGrad.Benchmarks.Compare;

/// <summary>One ADBench instance measured in its own process: ADBench's ratio gradient time / objective time, and memory.</summary>
public sealed record AdBenchRow(
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("objective")] double Objective,
    [property: JsonPropertyName("gradient_norm")] double GradientNorm,
    [property: JsonPropertyName("objective_ms")] double ObjectiveMs,
    [property: JsonPropertyName("gradient_ms")] double GradientMs,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("rss_before_gradient_mb")] double RssBeforeGradientMb,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("gradient_bytes_per_call")] double GradientBytesPerCall);

/// <summary>Source-generated JSON for <see cref="AdBenchRow"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(AdBenchRow))]
public sealed partial class AdBenchJson : JsonSerializerContext;

/// <summary>
/// <c>adbench --instance NAME [--data DIR] [--json PATH]</c>: one ADBench instance (GMM, BA, LSTM;
/// benchmarks/adbench.sh runs each in a fresh process, so the peak memory is the instance's own).
/// For BA the "gradient" is the sparse Jacobian of all residuals, as in ADBench. Times are the
/// fastest repeat, as ADBench reports them; objective and gradient repeats alternate, so load from
/// other processes weighs on both sides of the ratio.
/// </summary>
public static class AdBenchRunner
{
    /// <summary>The instances and their files under the data folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> Instances = new Dictionary<string, string>
    {
        ["gmm_d2_K5"] = "gmm/10k/gmm_d2_K5.txt",
        ["gmm_d10_K25"] = "gmm/10k/gmm_d10_K25.txt",
        ["gmm_d64_K25"] = "gmm/1k/gmm_d64_K25.txt",
        ["ba1"] = "ba/ba1_n49_m7776_p31843.txt",
        ["lstm_l2_c1024"] = "lstm/lstm_l2_c1024.txt",
        ["lstm_l4_c1024"] = "lstm/lstm_l4_c1024.txt",
    };

    /// <summary>Measures one instance; returns the process exit code.</summary>
    public static int Run(string name, string? dataDirectory, string? json)
    {
        if (!Instances.TryGetValue(name, out string? file))
        {
            Console.Error.WriteLine($"adbench: --instance must be one of {string.Join(", ", Instances.Keys)}.");
            return 2;
        }
        string data = dataDirectory ?? Path.Combine(FindRepositoryRoot(), "..", "shared", "adbench");
        string path = Path.Combine(data, file);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"adbench: {path} does not exist (pass --data with the folder holding gmm/, ba/ and lstm/).");
            return 2;
        }

        (Func<double> objective, Func<double> value, GradientCall gradient, int gradientLength) = Load(name, path);
        var timer = new Timer(warmupSeconds: 0.2, repeatSeconds: 0.2, repeats: 7);
        objective();
        double rssBefore = Environment.WorkingSet / 1e6;
        var buffer = new double[gradientLength];
        (Timing objectiveTime, Timing gradientTime) = timer.MeasureInterleaved(objective, gradient, buffer);
        double norm = Math.Sqrt(buffer.Sum(g => g * g));
        var row = new AdBenchRow(name, value(), norm, objectiveTime.Min * 1e3, gradientTime.Min * 1e3,
            gradientTime.Min / objectiveTime.Min, rssBefore, Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,
            Timer.AllocatedBytesPerCall(gradient, buffer, calls: 3));

        Console.Error.WriteLine($"# adbench {name}: objective {row.Objective:R}, |gradient| {norm:R}; objective {row.ObjectiveMs:F3} ms, " +
                                $"gradient {row.GradientMs:F3} ms, ratio {row.Ratio:F2}; RSS {row.RssBeforeGradientMb:F0} MB before the gradient, " +
                                $"peak {row.PeakRssMb:F0} MB; {row.GradientBytesPerCall:F0} B allocated per gradient call");
        if (json is not null) File.WriteAllText(json, JsonSerializer.Serialize(row, AdBenchJson.Default.AdBenchRow));
        return 0;
    }

    // The objective timed, the objective value reported, the gradient (BA: the Jacobian's values), its length.
    private static (Func<double> Objective, Func<double> Value, GradientCall Gradient, int GradientLength) Load(string name, string path)
    {
        if (name.StartsWith("gmm", StringComparison.Ordinal))
        {
            GmmInstance gmm = GmmInstance.Read(path);
            return (gmm.Objective, gmm.Objective, gmm.Gradient, gmm.ParameterCount);
        }
        if (name.StartsWith("lstm", StringComparison.Ordinal))
        {
            LstmInstance lstm = LstmInstance.Read(path);
            return (lstm.Objective, lstm.Objective, lstm.Gradient, lstm.ParameterCount);
        }
        BundleAdjustmentInstance ba = BundleAdjustmentInstance.Read(path);
        var errors = new double[2 * ba.Observations];
        var weightErrors = new double[ba.Observations];
        double Objective()
        {
            BundleAdjustment.Objective(ba, errors, weightErrors);
            return errors[0];
        }
        // The objective of a least-squares problem is its residual vector; its squared norm is reported.
        double SquaredNorm()
        {
            BundleAdjustment.Objective(ba, errors, weightErrors);
            return errors.Sum(e => e * e) + weightErrors.Sum(e => e * e);
        }
        double Jacobian(Span<double> values)
        {
            BundleAdjustment.Jacobian(ba, values);
            return values[0];
        }
        return (Objective, SquaredNorm, Jacobian, ba.JacobianValueCount);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AutoGrad.sln"))) return directory.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

}
