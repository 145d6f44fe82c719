using System.Globalization;
using System.Text;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>
/// One random [Differentiable] method, as source text written once for both element types:
/// <c>$T</c> is the type, <c>$M</c> the math class, <c>$H</c> the helper class and <c>#</c>
/// the suffix of a literal. The method is always
/// <c>F($T a, $T b, $T[] x, ReadOnlySpan&lt;$T&gt; y, int n, ReadOnlySpan&lt;int&gt; lab, $H.Hyper h)</c>: int labels and a
/// struct of settings are constants. Its local array <c>buf</c> is <c>new $T[n]</c>, <c>stackalloc</c> or an initialiser
/// (<see cref="BufferForm"/>). A program with <see cref="Modes"/> opts into NameTangent, and into
/// NameHessianVectorProduct unless it calls a rule (<see cref="HasHessianVector"/>); it also carries <c>J</c>, the
/// same body as a void method writing two outputs where F returns, with NameJacobian. Its calls reach the helpers'
/// tangents both ways: H1 and V have their own NameTangent, H2, H3 and the rules give theirs through a pullback.
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
    double[] Point,
    int BufferForm = 0,
    bool Modes = false)
{
    public const string Labels = "2, 0, 3, 1";

    /// <summary>
    /// <c>AUTOGRAD_FUZZ_CHECKPOINT=s</c> opts every F into checkpointing with s snapshots, so its outermost counted
    /// loops run under the Revolve schedule (the others get AG0019 and run as before); 0, the default, opts out.
    /// </summary>
    public static int CheckpointSnapshots { get; } = int.TryParse(Environment.GetEnvironmentVariable("AUTOGRAD_FUZZ_CHECKPOINT"), out var snapshots) ? snapshots : 0;

    /// <summary>Whether the body calls a helper (the helper class appears in a body only as a call's receiver).</summary>
    public bool CallsHelpers => Expressions.Any(s => s.Contains("$H."));

    /// <summary>Whether F has NameHessianVectorProduct: forward over reverse goes through the helpers' NamePullbackTangent, but a [DerivativeOf] rule has no second derivative.</summary>
    public bool HasHessianVector => Modes && !Expressions.Any(s => s.Contains("$H.Sq(") || s.Contains("$H.SumSq("));

    /// <summary>The body's source text: statements, the result and the locals' initialisers.</summary>
    private IEnumerable<string> Expressions => Statements.Append(Result).Concat(Locals);

    /// <summary>The method and its array-based wrappers (Value, Gradient, Pullback; Tangent, Hvp, JValue, JacobianOfJ with modes) in a class of its own.</summary>
    public string Render(string className, bool single)
    {
        var body = new StringBuilder();
        foreach (var line in Body()) body.AppendLine("        " + line);
        var x = $"p[2..{2 + LengthX}]";
        var y = $"p.AsSpan({2 + LengthX}, {LengthY})";
        var constants = $"{N}, Lab, Settings";
        string Split(string v) => $"{v}.AsSpan(2, {LengthX}), {v}.AsSpan({2 + LengthX}, {LengthY})";
        var modes = "";
        if (Modes && !single)
        {
            var jBody = new StringBuilder();
            foreach (var line in Body(void_: true)) jBody.AppendLine("        " + line);
            var m = 2;
            var hvp = $$"""

                    public static $T Hvp($T[] p, $T[] v, $T[] g, $T[] hv) =>
                        FHessianVectorProduct(p[0], p[1], {{x}}, {{y}}, {{constants}}, v[0], v[1], {{Split("v")}}, out g[0], out g[1], {{Split("g")}}, out hv[0], out hv[1], {{Split("hv")}});
                """;
            modes = $$"""

                    public static $T Tangent($T[] p, $T[] d, out $T t) =>
                        FTangent(p[0], p[1], {{x}}, {{y}}, {{constants}}, d[0], d[1], {{Split("d")}}, out t);

                {{(HasHessianVector ? hvp : "")}}
                    [Differentiable(Modes = DerivativeModes.Jacobian)]
                    public static void J($T a, $T b, $T[] x, ReadOnlySpan<$T> y, int n, ReadOnlySpan<int> lab, $H.Hyper h, Span<$T> o)
                    {
                {{jBody}}    }

                    public static void JValue($T[] p, $T[] o) => J(p[0], p[1], {{x}}, {{y}}, {{constants}}, o);

                    /// <summary>The Jacobian of J, m = {{m}} rows, as one row-major m x (2 + |x| + |y|) matrix.</summary>
                    public static void JacobianOfJ($T[] p, $T[] o, $T[] jacobian)
                    {
                        $T[] ja = new $T[{{m}}], jb = new $T[{{m}}], jx = new $T[{{m * LengthX}}], jy = new $T[{{m * LengthY}}];
                        $T[] o2 = ($T[])o.Clone();
                        JJacobian(p[0], p[1], {{x}}, {{y}}, {{constants}}, o, ja, jb, jx, jy);
                        var columns = 2 + {{LengthX}} + {{LengthY}};
                        for (int r = 0; r < {{m}}; r++)
                        {
                            jacobian[r * columns] = ja[r];
                            jacobian[r * columns + 1] = jb[r];
                            for (int k = 0; k < {{LengthX}}; k++) jacobian[r * columns + 2 + k] = jx[r * {{LengthX}} + k];
                            for (int k = 0; k < {{LengthY}}; k++) jacobian[r * columns + 2 + {{LengthX}} + k] = jy[r * {{LengthY}} + k];
                        }
                        // The one-matrix overload writes the same entries, to the bit.
                        $T[] matrix = new $T[jacobian.Length];
                        JJacobian(p[0], p[1], {{x}}, {{y}}, {{constants}}, o2, matrix);
                        for (int k = 0; k < matrix.Length; k++)
                        {
                            if (BitConverter.DoubleToInt64Bits(matrix[k]) != BitConverter.DoubleToInt64Bits(jacobian[k]))
                                throw new InvalidOperationException($"the one-matrix NameJacobian's entry {k} is {matrix[k]:R}, the per-parameter one's {jacobian[k]:R}");
                        }
                    }
                """;
        }
        var options = new List<string>();
        if (Modes && !single) options.Add(HasHessianVector ? "Modes = DerivativeModes.Forward | DerivativeModes.HessianVector" : "Modes = DerivativeModes.Forward");
        if (CheckpointSnapshots > 0) options.Add($"CheckpointSnapshots = {CheckpointSnapshots}");
        var attribute = options.Count == 0 ? "[Differentiable]" : $"[Differentiable({string.Join(", ", options)})]";
        var source = $$"""
            public static partial class {{className}}
            {
                private static readonly int[] Lab = [{{Labels}}];
                private static readonly $H.Hyper Settings = new(0.75#, 1);

                {{attribute}}
                public static $T F($T a, $T b, $T[] x, ReadOnlySpan<$T> y, int n, ReadOnlySpan<int> lab, $H.Hyper h)
                {
            {{body}}    }

                public static $T Value($T[] p) => F(p[0], p[1], {{x}}, {{y}}, {{constants}});

                public static $T Gradient($T[] p, $T[] g) =>
                    FGradient(p[0], p[1], {{x}}, {{y}}, {{constants}}, out g[0], out g[1], {{Split("g")}});

                public static void Pullback($T[] p, $T seed, $T[] g) =>
                    FPullback(p[0], p[1], {{x}}, {{y}}, {{constants}}, seed, ref g[0], ref g[1], {{Split("g")}});
            {{modes}}
            }

            """;
        return Specialize(source, single);
    }

    /// <summary>The body's lines; for J, each return writes the two outputs first.</summary>
    private IEnumerable<string> Body(bool void_ = false)
    {
        string Returns(string statement) => void_
            ? System.Text.RegularExpressions.Regex.Replace(statement, @"\breturn ([^;]*);", r => $"{{ o[0] = {r.Groups[1].Value}; o[1] = $M.Sin({r.Groups[1].Value}) * a; return; }}")
            : statement;
        for (var k = 0; k < Locals.Length; k++) yield return $"$T v{k} = {Locals[k]};";
        if (LengthBuffer > 0)
        {
            yield return BufferForm switch
            {
                1 => $"Span<$T> buf = stackalloc $T[{LengthBuffer}];",
                2 => $"$T[] buf = [{string.Join(", ", Enumerable.Range(0, LengthBuffer).Select(i => i % 2 == 0 ? "a * 0.5#" : $"v0 - {i}#"))}];",
                _ => $"$T[] buf = new $T[{LengthBuffer}];",
            };
        }
        foreach (var statement in Statements) yield return Returns(statement);
        yield return Returns($"return {Result};");
    }

    public int Dimension => 2 + LengthX + LengthY;

    /// <summary>Writes the template for one element type.</summary>
    public static string Specialize(string template, bool single) => template
        .Replace("$T", single ? "float" : "double")
        .Replace("$M", single ? "MathF" : "Math")
        .Replace("$H", single ? "FuzzHelpersF" : "FuzzHelpers")
        .Replace("#", single ? "f" : "");

    /// <summary>
    /// The helpers every program may call: differentiable methods (H1 and V with their own NameTangent, H2 and H3 without;
    /// all four with NamePullbackTangent for Hessian-vector products), [DerivativeOf] rules, a void method writing a span.
    /// </summary>
    public static string Helpers(bool single) => Specialize("""
        public static partial class $H
        {
            [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
            public static $T H1($T u, ReadOnlySpan<$T> v)
            {
                $T s = u;
                for (int k = 0; k < v.Length; k++) s += $M.Sin(v[k]) * u;
                return s;
            }

            [Differentiable(Modes = DerivativeModes.HessianVector)]
            public static $T H2($T u, $T w) => $M.Tanh(u) * w + u / (2# + w * w);

            // An iteration the reverse sweep replays, holding a loop over a counter declared before it and read after
            // it: a caller runs it through split halves.
            [Differentiable(Modes = DerivativeModes.HessianVector)]
            public static $T H3($T u, ReadOnlySpan<$T> v)
            {
                $T[] t = new $T[v.Length];
                $T[] terms = new $T[v.Length];
                $T[] picks = new $T[v.Length];
                for (int s = 0; s < v.Length; s++)
                {
                    for (int i = 0; i < v.Length; i++) t[i] = v[(s + i) % v.Length] * u;
                    $T norm = 0#;
                    int k = 0;
                    for (k = 0; k < v.Length - 1 - s % 2; k++) norm += $M.Sin(t[k]) * t[k];
                    terms[s] = norm;
                    picks[s] = v[k] * u;
                }
                $T total = 0#;
                for (int s = 0; s < v.Length; s++) total += terms[s] * terms[s] + picks[s] * u;
                return total;
            }

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

            public readonly record struct Hyper($T Scale, int Shift);

            [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector)]
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
        return $$"""
            // A differential-fuzzer failure, shrunk (modes: {{Modes}}). Paste into tests/AutoGrad.Tests/Gradients (the helpers once).
            {{Helpers(single: false)}}
            {{Render("FuzzRegression", single: false)}}
            public class FuzzRegressionTests
            {
                [Fact]
                public void Fuzz_regression() => GradientCheck.Verify(
                    FuzzRegression.Value,
                    FuzzRegression.Gradient,
                    FuzzRegression.Pullback,
                    [{{string.Join(", ", Point.Select(Literal))}}],
                    [{{string.Join(", ", second.Select(Literal))}}]);
            }
            """;
    }
}
