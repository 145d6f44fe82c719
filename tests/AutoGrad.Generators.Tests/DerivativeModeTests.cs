using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>Opting into derivative modes: what each generates, and AG0040 where a method cannot have one.</summary>
public class DerivativeModeTests
{
    private const string Usings = "using System; using AutoGrad;\n";

    [Theory]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.HessianVector)] public static void [|F|](ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[0]; } }")]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Jacobian)] public static double [|F|](double x) => x * x; }")]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Jacobian)] public static void [|F|](ReadOnlySpan<double> x, Span<double> y, Span<double> z) { y[0] = x[0]; z[0] = x[0]; } }")]
    [InlineData("static partial class C { [Differentiable] static double G(double v) => v * v; [Differentiable(Modes = DerivativeModes.Forward)] public static double F(double x) => 2 * [|G(x)|]; }")]
    [InlineData("static partial class C { static void Fill(ReadOnlySpan<double> x, Span<double> y) { } [DerivativeOf(typeof(C), nameof(Fill))] static void FillPullback(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> dy, Span<double> dx) { } [Differentiable(Modes = DerivativeModes.Forward)] public static void F(ReadOnlySpan<double> x, Span<double> y) { [|Fill(x, y)|]; } }")]
    public void Reports_AG0040_where_a_mode_does_not_apply(string marked)
    {
        var source = MarkedSource.Parse(Usings + marked);
        Assert.Empty(GeneratorHarness.Compilation(source.Text).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var (result, output) = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "AG0040");
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "AG0099");
        // The reverse-mode methods still work, and the mode's methods exist (throwing), so callers compile.
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Plain_Differentiable_generates_no_mode_methods()
    {
        var (_, output) = GeneratorHarness.Run(Usings + "static partial class C { [Differentiable] public static void F(double x, Span<double> y) { y[0] = x * x; } }");
        var methods = output.GetTypeByMetadataName("C")!.GetMembers().Select(m => m.Name).Order();
        Assert.Equal(["F", "FForward", "FPullback", "FReverse", "__FValueAndPullback"], methods);
    }

    [Fact]
    public void Each_mode_adds_exactly_its_methods()
    {
        var (result, output) = GeneratorHarness.Run(Usings + """
            static partial class C
            {
                [Differentiable(Modes = DerivativeModes.Forward)] public static double F(double x) => x * x;
                [Differentiable(Modes = DerivativeModes.HessianVector)] public static double G(double x) => x * x;
                [Differentiable(Modes = DerivativeModes.Jacobian)] public static void H(double x, Span<double> y) { y[0] = x; }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        var type = output.GetTypeByMetadataName("C")!;
        var methods = type.GetMembers().Select(m => m.Name).ToHashSet();
        Assert.Contains("FTangent", methods);
        Assert.DoesNotContain("FHessianVectorProduct", methods);
        Assert.Contains("GHessianVectorProduct", methods);
        Assert.DoesNotContain("GTangent", methods);
        Assert.Contains("HJacobian", methods);
        Assert.Contains("HTangent", methods); // the Jacobian's forward path
    }
}
