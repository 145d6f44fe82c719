using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// The generated source for representative inputs, compared exactly with Snapshots/*.expected.cs.
/// Set AUTOGRAD_UPDATE_SNAPSHOTS=1 to rewrite the expected files after an intended change, then review the diff.
/// The generator's version in [GeneratedCode] is written as &lt;version&gt; in the snapshots, so a version bump
/// does not rewrite them; <see cref="Generated_code_is_stamped_with_the_version_in_Directory_Build_props"/> checks the real one.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string> Inputs() => new(Directory
        .GetFiles(SnapshotDirectory(), "*.input.cs")
        .Select(path => Path.GetFileName(path)[..^".input.cs".Length])
        .Order());

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Generated_source_matches_the_snapshot(string name)
    {
        var input = File.ReadAllText(Path.Combine(SnapshotDirectory(), name + ".input.cs"));
        var (result, _) = GeneratorHarness.Run(input);
        var generated = string.Join("\n// ----\n", result.GeneratedTrees.OrderBy(t => t.FilePath).Select(t => t.ToString()))
            .Replace(GeneratedCodeOf(ProjectVersion()), GeneratedCodeOf("<version>"));

        var expectedPath = Path.Combine(SnapshotDirectory(), name + ".expected.cs");
        if (Environment.GetEnvironmentVariable("AUTOGRAD_UPDATE_SNAPSHOTS") == "1") File.WriteAllText(expectedPath, generated);
        Assert.True(File.Exists(expectedPath), $"No snapshot {expectedPath}; run with AUTOGRAD_UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(expectedPath).ReplaceLineEndings("\n"), generated.ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Generated_source_compiles_without_any_warning(string name)
    {
        var input = File.ReadAllText(Path.Combine(SnapshotDirectory(), name + ".input.cs"));
        var (result, output) = GeneratorHarness.Run(input);
        Assert.Empty(result.Diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591");
        Assert.Empty(problems);
    }

    [Fact]
    public void Generated_code_is_stamped_with_the_version_in_Directory_Build_props()
    {
        var (result, _) = GeneratorHarness.Run("""
            using AutoGrad;
            public static partial class F { [Differentiable] public static double Square(double x) => x * x; }
            """);
        string generated = GeneratorHarness.Generated(result);

        string version = ProjectVersion();
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        Assert.Contains(GeneratedCodeOf(version), generated);
        // The generator assembly's own informational version is where the emitter reads it (less any "+commit").
        string? informational = typeof(AutoGrad.Generators.DifferentiableGenerator).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Assert.Equal(version, informational?.Split('+')[0]);
        Assert.DoesNotMatch(@"GeneratedCode\(""AutoGrad\.Generators"", ""[^""]*\+", generated);
    }

    private static string GeneratedCodeOf(string version) => $"GeneratedCode(\"AutoGrad.Generators\", \"{version}\")";

    /// <summary>The one place the version is kept: the Version property of the repository's Directory.Build.props.</summary>
    private static string ProjectVersion([CallerFilePath] string path = "")
    {
        string props = Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "Directory.Build.props");
        return XDocument.Load(props).Descendants("Version").Single().Value;
    }

    private static string SnapshotDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");
}
