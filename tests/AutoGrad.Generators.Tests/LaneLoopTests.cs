using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// Which loops of NameTangent run in a vector's lanes (the runtime tests check that those give the
/// method's value to the bit): the shapes that qualify, and the ones that must stay scalar because a
/// lane would change what the loop computes or where it fails.
/// </summary>
public class LaneLoopTests
{
    private static string Tangent(string body, string parameters = "double[] x")
    {
        var (result, output) = GeneratorHarness.Run($$"""
            using System; using AutoGrad;
            static partial class C
            {
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F({{parameters}})
                {
                    {{body}}
                }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = GeneratorHarness.Generated(result);
        var tangent = generated[generated.IndexOf("public static double FTangent(", StringComparison.Ordinal)..];
        return tangent[..tangent.IndexOf("\n    }", StringComparison.Ordinal)];
    }

    private const string Term = "double y = x[i] * x[i] - 3 * x[i]; s += y * y;";

    [Theory]
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { " + Term + " } return s;")]
    // Reads at i - 1 and i + 1, from 1, with an inclusive bound the loop does not change.
    [InlineData("double s = 0; int last = x.Length - 2; for (int i = 1; i <= last; i++) { double d = x[i + 1] - 2 * x[i] + x[i - 1]; s += d * d * d; } return s;")]
    // A sum that subtracts; a square root, Max, Min and Abs; a value the loop does not change.
    [InlineData("double s = 1; for (int i = 0; i < x.Length; i++) { double y = Math.Sqrt(x[i] * x[i] + a) * x[i]; s -= Math.Max(y, 0.5) * Math.Min(Math.Abs(y), a); } return s;", "double[] x, double a")]
    // The inner loop of a nest, at an offset the outer loop sets.
    [InlineData("double s = 0; for (int r = 0; r < n; r++) { double row = 0; for (int c = 0; c < n; c++) { double d = x[r * n + c] - x[c]; row += d * d * d; } s += row; } return s;", "double[] x, int n")]
    // A conditional of lane values.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { double y = x[i] > 0.5 ? x[i] * x[i] : 2 * x[i]; s += y * y; } return s;")]
    public void Qualifying_loops_run_in_lanes(string body, string parameters = "double[] x")
    {
        var tangent = Tangent(body, parameters);
        Assert.Contains("Vector256.IsHardwareAccelerated", tangent);
        Assert.Contains("Lanes.LoadUnchecked(", tangent);
        Assert.Contains("InOrder(", tangent);
    }

    [Theory]
    // A value carried from one iteration to the next.
    [InlineData("double s = 0, previous = 0; for (int i = 0; i < x.Length; i++) { double y = x[i] * x[i] - previous; previous = x[i] * 3; s += y * y * y; } return s;")]
    // A local read after the loop: it must hold the last iteration's value.
    [InlineData("double s = 0, y = 0; for (int i = 0; i < x.Length; i++) { y = x[i] * x[i] - 3 * x[i]; s += y * y; } return s + y;")]
    // A sum read in the loop besides its own addition.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { double y = x[i] * x[i] - 3 * x[i] + s; s += y * y; } return s;")]
    // A function whose vector form would not give the same bits.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { double y = Math.Exp(x[i]) * x[i] - 3 * x[i]; s += y * y; } return s;")]
    // An index that is not the loop's index plus an offset.
    [InlineData("double s = 0; for (int i = 0; i < x.Length / 2; i++) { double y = x[2 * i] * x[2 * i] - 3 * x[2 * i]; s += y * y; } return s;")]
    // A step other than one.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i += 2) { " + Term + " } return s;")]
    // A bound the loop changes.
    [InlineData("double s = 0; int n = x.Length; for (int i = 0; i < n; i++) { " + Term + " if (s > 100) n = 0; } return s;")]
    // A store.
    [InlineData("double s = 0; double[] z = new double[x.Length]; for (int i = 0; i < x.Length; i++) { " + Term + " z[i] = y; } return s + z[0];")]
    // Too little arithmetic for the ordered sums to pay.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { s += x[i]; } return s;")]
    public void Other_loops_stay_scalar(string body)
    {
        var tangent = Tangent(body);
        Assert.DoesNotContain("Lanes.", tangent);
        Assert.DoesNotContain("Vector256", tangent);
    }
}
