using System.Runtime.CompilerServices;
using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// The generated source for representative inputs, compared exactly with Snapshots/*.expected.cs.
/// Set AUTOGRAD_UPDATE_SNAPSHOTS=1 to rewrite the expected files after an intended change, then review the diff.
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
        var generated = string.Join("\n// ----\n", result.GeneratedTrees.OrderBy(t => t.FilePath).Select(t => t.ToString()));

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

    private static string SnapshotDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");
}
