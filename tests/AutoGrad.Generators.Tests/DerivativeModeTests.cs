using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>Opting into derivative modes: what each generates, and AG0040 where a method cannot have one.</summary>
public class DerivativeModeTests
{
    private const string Usings = "using System; using AutoGrad;\n";

    [Theory]
    // Hessian-vector products go through calls only by the callee's NamePullbackTangent; forward mode needs none (see Forward_mode_goes_through_calls).
    [InlineData("static partial class C { [Differentiable] static double G(double v) => v * v; [Differentiable(Modes = DerivativeModes.HessianVector)] public static double F(double x) => 2 * [|G(x)|]; }", "add 'Modes = DerivativeModes.HessianVector' to its [Differentiable]")]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Forward)] static double G(double v) => v * v; [Differentiable(Modes = DerivativeModes.HessianVector)] public static double F(double x) => 2 * [|G(x)|]; }", "add 'Modes = DerivativeModes.HessianVector' to its [Differentiable]")]
    [InlineData("static partial class C { static double G(double v) => v * v; [DerivativeOf(typeof(C), nameof(G))] static void GPullback(double v, double seed, ref double dv) => dv += 2 * v * seed; [Differentiable(Modes = DerivativeModes.HessianVector)] public static double F(double x) => 2 * [|G(x)|]; }", "a [DerivativeOf] rule gives only the pullback; make the callee [Differentiable(Modes = DerivativeModes.HessianVector)]")]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Forward)] static void Fill(ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[0]; } [Differentiable(Modes = DerivativeModes.HessianVector)] public static double F(double[] x) { double[] y = new double[1]; [|Fill(x, y)|]; return y[0]; } }", "add 'Modes = DerivativeModes.HessianVector' to its [Differentiable]")]
    // A void callee's tangent comes only from its own NameTangent.
    [InlineData("static partial class C { static void Fill(ReadOnlySpan<double> x, Span<double> y) { } [DerivativeOf(typeof(C), nameof(Fill))] static void FillPullback(ReadOnlySpan<double> x, Span<double> y, ReadOnlySpan<double> dy, Span<double> dx) { } [Differentiable(Modes = DerivativeModes.Forward)] public static void F(ReadOnlySpan<double> x, Span<double> y) { [|Fill(x, y)|]; } }", "a [DerivativeOf] rule of a void method gives only its pullback")]
    [InlineData("static partial class C { [Differentiable] static void Fill(ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[0]; } [Differentiable(Modes = DerivativeModes.Forward)] public static double F(double[] x) { double[] y = new double[1]; [|Fill(x, y)|]; return y[0]; } }", "add 'Modes = DerivativeModes.Forward' to its [Differentiable]")]
    [InlineData("static partial class C { [Differentiable] static void Fill(ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[0]; } [Differentiable(Modes = DerivativeModes.Jacobian)] public static void F(ReadOnlySpan<double> x, Span<double> y) { [|Fill(x, y)|]; } }", "add 'Modes = DerivativeModes.Forward' to its [Differentiable]")]
    public void Reports_AG0040_at_a_call_a_mode_does_not_go_through(string marked, string why)
    {
        var source = MarkedSource.Parse(Usings + marked);
        Assert.Empty(GeneratorHarness.Compilation(source.Text).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var (result, output) = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "AG0040");
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains(why, diagnostic.GetMessage());
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "AG0099");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Forward_mode_goes_through_calls_while_the_Hessian_vector_product_reports_them()
    {
        var (result, output) = GeneratorHarness.Run(Usings + """
            static partial class C
            {
                [Differentiable] public static double G(double v) => v * v;
                [Differentiable(Modes = DerivativeModes.Forward)] public static double H(double v) => v * v;
                [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)] public static double F(double x) => G(x) + H(x);
            }
            """);
        // One per call, each at its call; none for forward mode.
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.All(result.Diagnostics, d => Assert.Equal("AG0040", d.Id));
        Assert.All(result.Diagnostics, d => Assert.Contains("Hessian-vector product", d.GetMessage()));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = GeneratorHarness.Generated(result);
        var tangent = generated[generated.IndexOf("public static double FTangent(")..];
        tangent = tangent[..tangent.IndexOf("\n    }", StringComparison.Ordinal)];
        Assert.Contains("global::C.GPullback(", tangent); // G has no tangent: its gradient along the direction
        Assert.Contains("global::C.HTangent(", tangent);  // H has its own
        Assert.DoesNotContain("throw", tangent);
    }

    [Fact]
    public void Hessian_vector_products_go_through_callees_with_a_pullback_tangent()
    {
        var (result, output) = GeneratorHarness.Run(Usings + """
            static partial class C
            {
                [Differentiable(Modes = DerivativeModes.HessianVector)] public static double G(ReadOnlySpan<double> v, double a) => v[0] * v[1] * a;
                [Differentiable(Modes = DerivativeModes.HessianVector)] public static double F(double[] x) => G(x, x[0]) * G(x.AsSpan(1, 2), 2);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = GeneratorHarness.Generated(result);
        var product = generated[generated.IndexOf("public static double FHessianVectorProduct(")..];
        product = product[..product.IndexOf("\n    }", StringComparison.Ordinal)];
        Assert.Contains("global::C.GPullbackTangent(", product);
        Assert.DoesNotContain("throw", product);
    }

    [Fact]
    public void Hessian_vector_products_find_the_pullback_tangents_of_a_referenced_assembly()
    {
        var (_, library) = GeneratorHarness.Run(Usings + """
            namespace Lib;
            public static partial class Fns
            {
                [Differentiable(Modes = DerivativeModes.HessianVector)] public static double G(ReadOnlySpan<double> v, double a) => v[0] * v[0] * a;
            }
            """);
        using var image = new MemoryStream();
        Assert.True(library.WithAssemblyName("Lib").Emit(image).Success);
        var compilation = GeneratorHarness.Compilation(Usings + """
            static partial class C
            {
                [Differentiable(Modes = DerivativeModes.HessianVector)]
                public static double F(double[] x) => Lib.Fns.G(x, x[1]);
            }
            """).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = string.Concat(output.SyntaxTrees.Skip(1).Select(t => t.ToString()));
        Assert.Contains("global::Lib.Fns.GPullbackTangent(", generated);
    }

    [Fact]
    public void Forward_mode_finds_the_tangents_of_a_referenced_assembly()
    {
        var (_, library) = GeneratorHarness.Run(Usings + """
            namespace Lib;
            public static partial class Fns
            {
                [Differentiable] public static double G(ReadOnlySpan<double> v, double a) => v[0] * a;
                [Differentiable(Modes = DerivativeModes.Forward)] public static double H(double v) => v * v;
                [Differentiable(Modes = DerivativeModes.Forward)] public static void K(ReadOnlySpan<double> v, Span<double> y) { y[0] = v[0] * v[0]; }
            }
            """);
        using var image = new MemoryStream();
        Assert.True(library.WithAssemblyName("Lib").Emit(image).Success);
        var compilation = GeneratorHarness.Compilation(Usings + """
            static partial class C
            {
                [Differentiable(Modes = DerivativeModes.Forward)]
                public static double F(double[] x)
                {
                    double[] y = new double[1];
                    Lib.Fns.K(x, y);
                    return Lib.Fns.G(x, y[0]) + Lib.Fns.H(x[0]);
                }
            }
            """).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = string.Concat(output.SyntaxTrees.Skip(1).Select(t => t.ToString()));
        Assert.Contains("global::Lib.Fns.KTangent(", generated);
        Assert.Contains("global::Lib.Fns.HTangent(", generated);
        Assert.Contains("global::Lib.Fns.GPullback(", generated);
    }

    [Theory]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Jacobian)] public static double [|F|](double x) => x * x; }")]
    [InlineData("static partial class C { [Differentiable(Modes = DerivativeModes.Jacobian)] public static void [|F|](ReadOnlySpan<double> x, Span<double> y, Span<double> z) { y[0] = x[0]; z[0] = x[0]; } }")]
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
        Assert.Contains("GPullbackTangent", methods); // what a caller's Hessian-vector product calls
        Assert.DoesNotContain("FPullbackTangent", methods);
        Assert.DoesNotContain("GTangent", methods);
        Assert.Contains("HJacobian", methods);
        Assert.Contains("HTangent", methods); // the Jacobian's forward path
    }

    [Fact]
    public void A_void_method_with_HessianVector_gets_its_pullback_tangent_and_tangent()
    {
        var (result, output) = GeneratorHarness.Run(Usings + "static partial class C { [Differentiable(Modes = DerivativeModes.HessianVector)] public static void F(ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[0]; } }");
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        var methods = output.GetTypeByMetadataName("C")!.GetMembers().Select(m => m.Name).ToHashSet();
        Assert.Contains("FPullbackTangent", methods);
        Assert.Contains("FTangent", methods); // a caller's Hessian-vector product needs the outputs' tangents
        Assert.DoesNotContain("FHessianVectorProduct", methods); // no scalar result
    }
}
