using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests;

/// <summary>Each diagnostic: its id, its severity, and the exact syntax it points at.</summary>
public class DiagnosticsTests
{
    private const string Usings = "using System; using AutoGrad;\n";

    [Theory]
    [InlineData("AG0001", "partial class C { [Differentiable] public double [|F|](double x) => x * x; }")]
    [InlineData("AG0002", "class [|C|] { [Differentiable] public static double F(double x) => x * x; }")]
    [InlineData("AG0002", "class [|Outer|] { public static partial class Inner { [Differentiable] public static double F(double x) => x; } }")]
    [InlineData("AG0003", "static partial class C { [Differentiable] public static double F(double x, string [|name|]) => x; }")]
    [InlineData("AG0003", "static partial class C { [Differentiable] public static double F(ref double [|x|]) => x; }")]
    [InlineData("AG0003", "static partial class C { [Differentiable] public static double F(Span<double> [|x|]) => x[0]; }")]
    [InlineData("AG0003", "static partial class C { [Differentiable] public static double F(double x, float [|y|]) => x * y; }")]
    [InlineData("AG0004", "static partial class C { [Differentiable] public static [|int|] F(double x) => (int)x; }")]
    [InlineData("AG0005", "static partial class C { [Differentiable] public static double [|F|]<T>(double x) => x; }")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double x) { [|try|] { x = x * 2; } catch { } return x; } }")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double x, int k) { [|switch|] (k) { case 1: x = 2 * x; break; } return x; } }")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double x) { double Square(double v) => v * v; return x; } }", "Square")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double x) { start: x = x * 2; if (x < 10) [|goto|] start; return x; } }")]
    [InlineData("AG0010", "static partial class C { static readonly object Gate = new(); [Differentiable] public static double F(double x) { [|lock|] (Gate) { x = x * 2; } return x; } }")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double[] x) { double s = 0; foreach (var c in \"abc\") s += x[0]; return s; } }", "\"abc\"")]
    [InlineData("AG0011", "static partial class C { [Differentiable] public static double F(double x, int k) => [|k switch { 1 => x, _ => 2 * x }|]; }")]
    [InlineData("AG0011", "static partial class C { static double Apply(Func<double, double> f, double v) => f(v); [Differentiable] public static double F(double x) => Apply([|v => v * v|], x); }")]
    [InlineData("AG0011", "static partial class C { [Differentiable] public static double F(double x) => x * [|new Random(1).NextDouble()|]; }")]
    [InlineData("AG0011", "static partial class C { [Differentiable] public static double F(double x, int i) => x * [|i++|]; }")]
    [InlineData("AG0011", "static partial class C { [Differentiable] public static double F(double x) { double y = 0; double z = [|y = x|]; return z; } }")]
    [InlineData("AG0011", "static partial class C { [Differentiable] public static double F(double[] x) => x[[|^1|]]; }")]
    [InlineData("AG0012", "static partial class C { static double Helper(double v) => v * v; [Differentiable] public static double F(double x) => 2 * [|Helper(x)|]; }")]
    [InlineData("AG0018", "static partial class C { [Differentiable] public static double F(double x) => 2 * [|double.Exp2(x)|]; }")]
    [InlineData("AG0013", "static partial class C { [Differentiable] public static double F(double x) => x < 1 ? x : [|F(x / 2)|]; }")]
    [InlineData("AG0013", "static partial class C { [Differentiable] public static double F(double x) => x < 1 ? x : [|G(x / 2)|]; [Differentiable] static double G(double x) => 2 * F(x); }")]
    [InlineData("AG0013", "static partial class C { [Differentiable] static double G(double x) => 2 * H(x); [Differentiable] static double H(double x) => x < 1 ? x : [|F(x)|]; [Differentiable] public static double F(double x) => G(x) + x; }")]
    [InlineData("AG0014", "static partial class C { [Differentiable] public static double F(double[] x) { [|x[0]|] = 1; return x[0]; } }")]
    [InlineData("AG0015", "static partial class C { [Differentiable] public static double F(double x) { object [|boxed|] = x; return x; } }")]
    [InlineData("AG0016", "static partial class C { [Differentiable] public static double [|F|](double x, int n) => n * 2.0; }")]
    [InlineData("AG0017", "static partial class C { [Differentiable] static double G([NoGradient] double v, double u) => v * u; [Differentiable] public static double F(double x) => [|G(x, x)|]; }")]
    [InlineData("AG0014", "static partial class C { static void Fill(ReadOnlySpan<double> x, Span<double> y) { } [Differentiable] public static void F(double[] x, Span<double> y) { [|Fill(y, x)|]; } }")]
    [InlineData("AG0015", "static partial class C { [Differentiable] public static double F(double[] x) { for (int i = 0; i < 2; i++) { double[] [|b|] = new double[i + 1]; b[0] = x[i]; } return x[0]; } }")]
    [InlineData("AG0030", "static partial class C { public static double G(double x) => x; [DerivativeOf(typeof(C), nameof(G))] public static void [|GPullback|](double x, double seed, double dx) { } }")]
    [InlineData("AG0031", "static partial class C { [DerivativeOf(typeof(C), \"Missing\")] public static void [|Rule|](double x, double seed, ref double dx) { } }")]
    public void Reports_diagnostic_at_the_offending_syntax(string id, string marked, string? markedText = null)
    {
        var source = markedText is null ? MarkedSource.Parse(Usings + marked) : MarkAt(Usings + marked, markedText);
        var input = GeneratorHarness.Compilation(source.Text);
        Assert.Empty(input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)); // the input is valid C#

        var (result, _) = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id && d.Location.SourceSpan == source.Span);
        Assert.Equal(id is "AG0016" or "AG0017" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Description.ToString()));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "AG0099");
    }

    [Fact]
    public void A_method_with_an_unsupported_body_still_gets_generated_signatures_that_throw()
    {
        var source = Usings + """
            static partial class C
            {
                [Differentiable] public static double F(double x) { try { } finally { } return x; }
                public static double Use(double x) => FGradient(x, out var dx) + dx;
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Contains(result.Diagnostics, d => d.Id == "AG0010");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("NotSupportedException", GeneratorHarness.Generated(result));
    }

    [Theory]
    [InlineData("static partial class C { [Differentiable] public static double F(double x) => x + ; }")]
    [InlineData("static partial class C { [Differentiable] public static double F(double x) => Undefined(x); }")]
    [InlineData("static partial class C { [Differentiable] public static double F(Missing m, double x) => x; }")]
    [InlineData("static partial class C { [Differentiable] public static double F(double x) { for (;;) { } } }")]
    [InlineData("static partial class C { [Differentiable] public static extern double F(double x); }")]
    [InlineData("[Differentiable] static double Top(double x) => x;")]
    public void Broken_or_unusual_code_never_crashes_the_generator(string body)
    {
        var (result, _) = GeneratorHarness.Run(Usings + body);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "AG0099");
    }

    /// <summary>Issue 8: one unsupported construct is one diagnostic, at the construct, however often its result is used.</summary>
    [Theory]
    [InlineData("AG0011", "static partial class C { static (double, double) SinCos(double x) => (Math.Sin(x), Math.Cos(x)); [Differentiable] public static double F(double x) { [|var (s, c) = SinCos(x)|]; return s * c + s + c; } }")]
    [InlineData("AG0010", "static partial class C { [Differentiable] public static double F(double x) { static double Square(double v) => v * v; return Square(x) + Square(2 * x); } }", "Square")]
    [InlineData("AG0015", "static partial class C { [Differentiable] public static double F(double x) { System.Collections.Generic.List<double> [|list|] = new(); list.Add(x); return list[0] * list.Count; } }")]
    [InlineData("AG0015", "static partial class C { [Differentiable] public static double F(double[] x) { double[] [|copy|] = x; copy[0] = 1; return copy[0] + copy[1] * x[0]; } }")]
    public void One_root_cause_is_one_diagnostic(string id, string marked, string? markedText = null)
    {
        var source = markedText is null ? MarkedSource.Parse(Usings + marked) : MarkAt(Usings + marked, markedText);
        var (result, _) = GeneratorHarness.Run(source.Text);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
    }

    /// <summary>Issue 8: messages name what to write instead, outside the quoted code.</summary>
    [Theory]
    [InlineData("static partial class C { [Differentiable] public static void F(double[] x, double[] [|y|]) { for (int i = 0; i < x.Length; i++) y[i] = x[i]; } }",
        "AG0003", "declare it 'Span<double> y'")]
    [InlineData("static partial class C { [Differentiable] public static double F(double x) { string [|s|] = \"a\"; return x * s.Length; } }",
        "AG0015", "Local 's' of type 'string' is not supported: use double, float")]
    [InlineData("static partial class C { [Differentiable] public static double F(double[] x) { double[] [|b|]; b = new double[2]; return x[0]; } }",
        "AG0015", "Local 'b' of type 'double[]' is not supported: create a local array where it is declared")]
    [InlineData("static partial class C { [Differentiable] public static double F(double[] x) { for (int i = 0; i < 2; i++) { double[] [|b|] = new double[i + 1]; b[0] = x[i]; } return x[0]; } }",
        "AG0015", "its length reads 'i', which changes inside the loop; allocate the largest size before the loop")]
    [InlineData("static partial class C { [Differentiable] static void Sin(ReadOnlySpan<double> v, Span<double> o) { for (int i = 0; i < o.Length; i++) o[i] = Math.Sin(v[i]); } [Differentiable] public static double F(double[] x) { var t = new double[4]; Sin(x, [|t[1..3]|]); return t[1]; } }",
        "AG0011", "a range of an array is a copy, so the call's writes would be lost; pass a window, 't.AsSpan(1..3)'")]
    [InlineData("static partial class C { [Differentiable] public static double F(double[] x) { double s = 0; for (int i = 0; [|i < (x.Length > 1 ? 2 : throw new ArgumentException(\"short\"))|]; i++) s += x[i]; return s; } }",
        "AG0011", "a guard throw in a loop condition or step; check it with an if statement in the loop body")]
    [InlineData("static partial class C { [Differentiable] public static double F(double x, double y) => [|double.Hypot(x, y)|]; }",
        "AG0018", "'Double.Hypot' has no derivative rule in AutoGrad; write Math.Sqrt(x * x + y * y)")]
    [InlineData("static partial class C { [Differentiable] public static float F(float x) => [|MathF.ReciprocalEstimate(x)|]; }",
        "AG0018", "write 1 / x")]
    [InlineData("static partial class C { [Differentiable] public static float F(float x) => [|float.SinPi(x)|]; }",
        "AG0018", "write MathF.Sin(MathF.PI * x)")]
    public void Messages_say_what_to_write_instead(string marked, string id, string expected)
    {
        var source = MarkedSource.Parse(Usings + marked);
        var (result, _) = GeneratorHarness.Run(source.Text);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id && d.Location.SourceSpan == source.Span);
        Assert.Contains(expected, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Issue 8: diagnostics sit in the compilation's own syntax tree, which is what #pragma and .editorconfig severities need.</summary>
    [Fact]
    public void Diagnostics_carry_source_locations()
    {
        var source = Usings + "static partial class C { [Differentiable] public static double F(double x, int n) => n * 2.0; }";
        var compilation = GeneratorHarness.Compilation(source);
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("AG0016", diagnostic.Id);
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Same(compilation.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
    }

    private static MarkedSource MarkAt(string text, string markedText)
    {
        var start = text.IndexOf(markedText, StringComparison.Ordinal);
        return new MarkedSource(text, new Microsoft.CodeAnalysis.Text.TextSpan(start, markedText.Length));
    }
}
