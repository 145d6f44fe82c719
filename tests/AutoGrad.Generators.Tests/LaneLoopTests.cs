using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// Which loops of NameTangent and of reverse mode's code run in a vector's lanes (the runtime tests check that those give the
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

    /// <summary>Everything generated for a reverse-mode method (gradient, pullback, split halves).</summary>
    private static string Reverse(string body, string parameters = "double[] x") => GeneratorHarness.GeneratedReverse(body, parameters);

    // GMM's shape: per point, a buffer filled, a triangular loop with a running index, a sum of squares.
    private const string Triangular = """
        double[] y = new double[d]; double[] terms = new double[n];
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < d; i++) { y[i] = l[i] * x[p * d + i]; }
            int lower = d;
            for (int i = 0; i < d; i++) { for (int j = i + 1; j < d; j++) { y[j] += l[lower] * x[p * d + i]; lower++; } }
            double s = 0;
            for (int i = 0; i < d; i++) { s += y[i] * y[i]; }
            terms[p] = Math.Log(1 + s);
        }
        double total = 0;
        for (int p = 0; p < n; p++) { total += terms[p]; }
        return total;
        """;

    [Fact]
    public void Reverse_mode_stores_running_indices_and_counted_down_loops_run_in_lanes()
    {
        var generated = Reverse(Triangular, "double[] l, double[] x, int d, int n");
        // The replayed triangular loop: a store at j, a load at the running index, both stepped by the width.
        Assert.Contains("Lanes.StoreUnchecked(y, j, global::AutoGrad.Differentiation.Lanes.LoadUnchecked(y, j) + global::AutoGrad.Differentiation.Lanes.LoadUnchecked(l, lower) * ", generated);
        Assert.Contains("lower += 4;", generated);
        // Its reverse counts down: lanes end at the element before the index, its sum into dx[...] adds lane by lane.
        Assert.Contains("Lanes.StoreUnchecked(dl, lower - 1 - 3, ", generated);
        Assert.Contains("lower -= 4;", generated);
        Assert.Contains("dxSum = global::AutoGrad.Differentiation.Lanes.AddInOrder(dxSum, dxLanes);", generated);
        // The user's arrays may share memory with the gradients they passed: checked before the lanes store.
        Assert.Contains("Lanes.Disjoint(dl, l)", generated);
        // Entered where one vector iteration can run (GMM d10's rows have 1 to 9 elements).
        Assert.Contains("IsHardwareAccelerated && (long)j + 3 < d && ", generated);
        Assert.Matches(@"IsHardwareAccelerated && left(_\d+)? >= 4 && ", generated);
        // Two buffers the method rented never overlap: no check between them.
        Assert.DoesNotContain("Lanes.Disjoint(y, dy)", generated);
        Assert.DoesNotContain("Lanes.Disjoint(dy, y)", generated);
    }

    [Fact]
    public void Overlap_checks_of_arrays_no_enclosing_loop_assigns_are_made_once_before_the_outermost_one()
    {
        var lines = Reverse(Triangular, "double[] l, double[] x, int d, int n").Split('\n').Select(line => line.Trim()).ToList();
        // The regions are entered per row of each point: none checks overlaps itself ...
        var regions = lines.Where(line => line.StartsWith("if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated &&", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(regions);
        Assert.All(regions, region => Assert.DoesNotContain("Lanes.Disjoint(", region));
        // ... each reads a bool computed once, right before the loop over the points (the first loop the checks sit in).
        var checks = lines.Select((line, at) => (line, at)).Where(c => c.line.StartsWith("bool disjoint", StringComparison.Ordinal)).ToList();
        Assert.Contains(checks, c => c.line.Contains("Lanes.Disjoint(dl, l)", StringComparison.Ordinal));
        foreach (var (line, at) in checks)
        {
            var name = line["bool ".Length..line.IndexOf(" =", StringComparison.Ordinal)];
            Assert.Contains(regions, region => region.EndsWith($" && {name})", StringComparison.Ordinal));
            var next = lines.Skip(at + 1).First(l => !l.StartsWith("bool disjoint", StringComparison.Ordinal));
            Assert.True(next is "while (p < n)" || next.StartsWith("for (int iteration", StringComparison.Ordinal), $"{line} is followed by {next}");
        }
    }

    [Theory]
    // A value carried from one iteration to the next.
    [InlineData("double s = 0, previous = 0; for (int i = 0; i < x.Length; i++) { double y = x[i] * x[i] - previous; previous = x[i] * 3; s += y * y; } return s;")]
    // A store at another element than the one the iteration reads: a recurrence.
    [InlineData("double[] y = new double[x.Length + 1]; for (int i = 0; i < x.Length; i++) { y[i + 1] = y[i] * 0.5 + x[i] * x[i]; } return y[x.Length];")]
    // A step other than one.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i += 2) { s += x[i] * x[i] * x[i]; } return s;")]
    // A call the lanes have no form for.
    [InlineData("double s = 0; for (int i = 0; i < x.Length; i++) { s += Math.Exp(x[i]); } return s;")]
    // A running index that moves against the loop's index.
    [InlineData("double s = 0; int k = x.Length - 1; double[] y = new double[x.Length]; for (int i = 0; i < x.Length; i++) { y[i] = x[k] * 2; k--; } for (int i = 0; i < x.Length; i++) { s += Math.Exp(y[i]); } return s;")]
    public void Other_reverse_mode_loops_stay_scalar(string body)
    {
        var generated = Reverse(body);
        Assert.DoesNotContain("Lanes.", generated);
        Assert.DoesNotContain("Vector256", generated);
    }
}

