using System.Globalization;
using System.Text;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>
/// One random [Differentiable] method, as source text written once for both element types:
/// <c>$T</c> is the type, <c>$M</c> the math class, <c>$H</c> the helper class and <c>#</c>
/// the suffix of a literal. The method is always <c>F($T a, $T b, $T[] x, ReadOnlySpan&lt;$T&gt; y, int n)</c>.
/// </summary>
public sealed record FuzzProgram(
    int LengthX,
    int LengthY,
    int LengthBuffer,
    int N,
    bool AlsoFloat,
    string[] Locals,
    string[] Statements,
    string Result,
    double[] Point)
{
    /// <summary>The method and its array-based wrappers (Value, Gradient, Pullback) in a class of its own.</summary>
    public string Render(string className, bool single)
    {
        var body = new StringBuilder();
        for (var k = 0; k < Locals.Length; k++) body.AppendLine($"        $T v{k} = {Locals[k]};");
        if (LengthBuffer > 0) body.AppendLine($"        $T[] buf = new $T[{LengthBuffer}];");
        foreach (var statement in Statements) body.AppendLine("        " + statement);
        body.AppendLine($"        return {Result};");
        var x = $"p[2..{2 + LengthX}]";
        var y = $"p.AsSpan({2 + LengthX}, {LengthY})";
        var source = $$"""
            public static partial class {{className}}
            {
                [Differentiable]
                public static $T F($T a, $T b, $T[] x, ReadOnlySpan<$T> y, int n)
                {
            {{body}}    }

                public static $T Value($T[] p) => F(p[0], p[1], {{x}}, {{y}}, {{N}});

                public static $T Gradient($T[] p, $T[] g) =>
                    FGradient(p[0], p[1], {{x}}, {{y}}, {{N}}, out g[0], out g[1], g.AsSpan(2, {{LengthX}}), g.AsSpan({{2 + LengthX}}, {{LengthY}}));

                public static void Pullback($T[] p, $T seed, $T[] g) =>
                    FPullback(p[0], p[1], {{x}}, {{y}}, {{N}}, seed, ref g[0], ref g[1], g.AsSpan(2, {{LengthX}}), g.AsSpan({{2 + LengthX}}, {{LengthY}}));
            }

            """;
        return Specialize(source, single);
    }

    public int Dimension => 2 + LengthX + LengthY;

    /// <summary>Writes the template for one element type.</summary>
    public static string Specialize(string template, bool single) => template
        .Replace("$T", single ? "float" : "double")
        .Replace("$M", single ? "MathF" : "Math")
        .Replace("$H", single ? "FuzzHelpersF" : "FuzzHelpers")
        .Replace("#", single ? "f" : "");

    /// <summary>The helpers every program may call: differentiable methods, [DerivativeOf] rules, a void method writing a span.</summary>
    public static string Helpers(bool single) => Specialize("""
        public static partial class $H
        {
            [Differentiable]
            public static $T H1($T u, ReadOnlySpan<$T> v)
            {
                $T s = u;
                for (int k = 0; k < v.Length; k++) s += $M.Sin(v[k]) * u;
                return s;
            }

            [Differentiable]
            public static $T H2($T u, $T w) => $M.Tanh(u) * w + u / (2# + w * w);

            public static $T Sq($T u) => u * u;

            [DerivativeOf(typeof($H), nameof(Sq))]
            public static void SqPullback($T u, $T seed, ref $T du) => du += 2# * u * seed;

            public static $T SumSq(ReadOnlySpan<$T> v)
            {
                $T s = 0#;
                foreach (var e in v) s += e * e;
                return s;
            }

            [DerivativeOf(typeof($H), nameof(SumSq))]
            public static void SumSqPullback(ReadOnlySpan<$T> v, $T seed, Span<$T> dv)
            {
                if (dv.IsEmpty) return;
                for (int k = 0; k < v.Length; k++) dv[k] += 2# * v[k] * seed;
            }

            [Differentiable]
            public static void V(ReadOnlySpan<$T> x, Span<$T> o)
            {
                for (int k = 0; k < o.Length; k++) o[k] = $M.Tanh(x[k % x.Length]) * 0.5# + x[(k + 1) % x.Length];
            }
        }

        """, single);

    public const string Usings = "using System;\nusing AutoGrad;\n\n";

    /// <summary>A test to paste into AutoGrad.Tests (Gradients), reproducing this program's check.</summary>
    public string RegressionTest()
    {
        static string Literal(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var second = Point.Select((v, i) => Math.Round(v * 0.9 + 0.05 * (i % 3), 6)).ToArray();
        var x = $"p[2..{2 + LengthX}]";
        var y = $"p.AsSpan({2 + LengthX}, {LengthY})";
        var grads = $"g.AsSpan(2, {LengthX}), g.AsSpan({2 + LengthX}, {LengthY})";
        return $$"""
            // A differential-fuzzer failure, shrunk. Paste into tests/AutoGrad.Tests/Gradients (the helpers once).
            {{Helpers(single: false)}}
            {{Render("FuzzRegression", single: false)}}
            public class FuzzRegressionTests
            {
                [Fact]
                public void Fuzz_regression() => GradientCheck.Verify(
                    p => FuzzRegression.F(p[0], p[1], {{x}}, {{y}}, {{N}}),
                    (p, g) => FuzzRegression.FGradient(p[0], p[1], {{x}}, {{y}}, {{N}}, out g[0], out g[1], {{grads}}),
                    (p, s, g) => FuzzRegression.FPullback(p[0], p[1], {{x}}, {{y}}, {{N}}, s, ref g[0], ref g[1], {{grads}}),
                    [{{string.Join(", ", Point.Select(Literal))}}],
                    [{{string.Join(", ", second.Select(Literal))}}]);
            }
            """;
    }
}
