using System.Reflection;
using System.Runtime.Loader;
using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoGrad.Generators.Tests;

/// <summary>
/// [Differentiable(CheckpointSnapshots = s)]: the checkpointed gradient equals the unbounded one (the same
/// method without the opt-in) and central finite differences, its saved state does not grow with the trip
/// count, and a warm call allocates nothing. The programs are compiled once, in process.
/// </summary>
public class CheckpointTests
{
    /// <summary>Each body is generated with several snapshot budgets (suffix S{s}) and without checkpointing (suffix Unbounded).</summary>
    private static readonly (string Name, string Signature, string Body)[] Programs =
    [
        ("Recurrence", "double w, double[] x, int n", """
            double h = 0.5;
            for (int t = 0; t < n; t++)
            {
                if (h > 0.2) h = Math.Tanh(w * h + x[t % x.Length]);
                else h = Math.Sin(w * h) + 0.5 * x[t % x.Length];
            }
            return h * h;
            """),
        ("Diffusion", "double[] u0, double c, int n", """
            int m = u0.Length;
            double[] u = new double[m];
            for (int i = 0; i < m; i++) u[i] = u0[i];
            double energy = 0;
            for (int t = 0; t < n; t++)
            {
                double left = u[m - 1];
                for (int i = 0; i < m; i++)
                {
                    double old = u[i];
                    u[i] = old + c * (left - old) + 0.01 * Math.Sin(old);
                    left = old;
                }
                energy += u[0] * u[0] / (1 + t);
            }
            return energy * c + u[m - 1];
            """),
    ];

    private static readonly int[] Budgets = [1, 3, 32];

    private static readonly Lazy<Type> s_subject = new(Compile);

    private static Type Compile()
    {
        var methods = new System.Text.StringBuilder();
        foreach (var (name, signature, body) in Programs)
        {
            foreach (var budget in Budgets)
                methods.Append($"[Differentiable(CheckpointSnapshots = {budget})] public static double {name}S{budget}({signature}) {{ {body} }}\n");
            methods.Append($"[Differentiable] public static double {name}Unbounded({signature}) {{ {body} }}\n");
        }
        // Array-only wrappers for delegates: the gradient of every input, scalars first.
        foreach (var suffix in Budgets.Select(b => "S" + b).Append("Unbounded"))
        {
            methods.Append($"public static double RecurrenceValue{suffix}(double w, double[] x, int n) => Recurrence{suffix}(w, x, n);\n");
            methods.Append($"public static double RecurrenceGradient{suffix}(double w, double[] x, int n, double[] g) {{ double v = Recurrence{suffix}Gradient(w, x, n, out var dw, g.AsSpan(1)); g[0] = dw; return v; }}\n");
            methods.Append($"public static double DiffusionValue{suffix}(double c, double[] u0, int n) => Diffusion{suffix}(u0, c, n);\n");
            methods.Append($"public static double DiffusionGradient{suffix}(double c, double[] u0, int n, double[] g) {{ double v = Diffusion{suffix}Gradient(u0, c, n, g.AsSpan(1), out var dc); g[0] = dc; return v; }}\n");
        }
        var source = "using System; using AutoGrad;\npublic static partial class Subject\n{\n" + methods + "}\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        using var stream = new MemoryStream();
        var emitted = output.WithOptions(output.Options.WithOptimizationLevel(OptimizationLevel.Release)).Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("checkpoints").LoadFromStream(stream).GetType("Subject")!;
    }

    private delegate double Value(double scalar, double[] array, int n);

    private delegate double Gradient(double scalar, double[] array, int n, double[] gradient);

    private static T Method<T>(string name) where T : Delegate => s_subject.Value.GetMethod(name)!.CreateDelegate<T>();

    /// <summary>The point: (w, x) of the recurrence, (c, u0) of the diffusion; the gradient packs the scalar first.</summary>
    private static (double Scalar, double[] Array) Point(string program) => program == "Recurrence"
        ? (0.9, [0.3, -0.7, 0.45, 0.1, -0.2])
        : (0.3, [0.2, 1.1, -0.4, 0.8]);

    private static double[] GradientOf(string program, string suffix, int n, out double value)
    {
        var (scalar, array) = Point(program);
        var gradient = Enumerable.Repeat(12345.5, array.Length + 1).ToArray();
        value = Method<Gradient>(program + "Gradient" + suffix)(scalar, array, n, gradient);
        return gradient;
    }

    [Theory]
    [InlineData("Recurrence", 0)]
    [InlineData("Recurrence", 1)]
    [InlineData("Recurrence", 2)]
    [InlineData("Recurrence", 3)]
    [InlineData("Recurrence", 37)]
    [InlineData("Recurrence", 1000)]
    [InlineData("Diffusion", 0)]
    [InlineData("Diffusion", 1)]
    [InlineData("Diffusion", 5)]
    [InlineData("Diffusion", 64)]
    [InlineData("Diffusion", 700)]
    public void Checkpointed_gradient_equals_the_unbounded_one(string program, int n)
    {
        var expected = GradientOf(program, "Unbounded", n, out var expectedValue);
        foreach (var budget in Budgets)
        {
            var gradient = GradientOf(program, "S" + budget, n, out var value);
            Assert.Equal(expectedValue, value);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(gradient[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])),
                    $"s = {budget}, gradient[{i}]: {gradient[i]:R}, unbounded {expected[i]:R}");
        }
    }

    [Theory]
    [InlineData("Recurrence", 9)]
    [InlineData("Recurrence", 40)]
    [InlineData("Diffusion", 12)]
    public void Checkpointed_gradient_matches_central_differences(string program, int n)
    {
        var (scalar, array) = Point(program);
        var value = Method<Value>(program + "ValueS3");
        foreach (var budget in Budgets)
        {
            var gradient = GradientOf(program, "S" + budget, n, out _);
            for (var i = 0; i < gradient.Length; i++)
            {
                double At(double delta)
                {
                    var moved = (double[])array.Clone();
                    if (i == 0) return value(scalar + delta, moved, n);
                    moved[i - 1] += delta;
                    return value(scalar, moved, n);
                }
                const double h = 1e-6;
                var expected = (At(h) - At(-h)) / (2 * h);
                Assert.True(Math.Abs(gradient[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                    $"s = {budget}, gradient[{i}]: {gradient[i]:R}, finite differences {expected:R}");
            }
        }
    }

    /// <summary>What a first call allocates on a fresh thread (empty pools): the saved state at its peak, and the snapshots.</summary>
    private static long FirstCallBytes(string program, string suffix, int n)
    {
        var (scalar, array) = Point(program);
        var gradient = Method<Gradient>(program + "Gradient" + suffix);
        var buffer = new double[array.Length + 1];
        // Compiled (and tiered up) on this thread first, so the fresh thread's count holds only what the call keeps.
        gradient(scalar, array, n, buffer);
        // The least of three fresh threads: the runtime now and then allocates a few kilobytes on a thread of its
        // own accord (a tier-up or on-stack replacement of the long loop landing during the call), never less.
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long bytes = 0;
            var thread = new Thread(() =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                gradient(scalar, array, n, buffer);
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            thread.Start();
            thread.Join();
            least = Math.Min(least, bytes);
        }
        return least;
    }

    [Theory]
    [InlineData("Recurrence")]
    [InlineData("Diffusion")]
    public void Saved_state_does_not_grow_with_the_trip_count(string program)
    {
        var checkpointedShort = FirstCallBytes(program, "S32", 10_000);
        var checkpointedLong = FirstCallBytes(program, "S32", 100_000);
        var unboundedShort = FirstCallBytes(program, "Unbounded", 10_000);
        var unboundedLong = FirstCallBytes(program, "Unbounded", 100_000);
        Assert.True(checkpointedLong <= checkpointedShort + 1024, $"checkpointed: {checkpointedShort} bytes for 10^4 steps, {checkpointedLong} for 10^5");
        Assert.True(unboundedLong > 5 * unboundedShort, $"unbounded: {unboundedShort} bytes for 10^4 steps, {unboundedLong} for 10^5");
        Assert.True(checkpointedLong * 10 < unboundedLong, $"10^5 steps: checkpointed {checkpointedLong} bytes, unbounded {unboundedLong}");
    }

    [Theory]
    [InlineData("Recurrence")]
    [InlineData("Diffusion")]
    public void A_warm_call_allocates_nothing(string program)
    {
        GradientOf(program, "S3", 200, out _);
        GradientOf(program, "S3", 200, out _);
        var (scalar, array) = Point(program);
        var gradient = Method<Gradient>(program + "GradientS3");
        var buffer = new double[array.Length + 1];
        var before = GC.GetAllocatedBytesForCurrentThread();
        gradient(scalar, array, 200, buffer);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_million_steps_under_32_snapshots_give_the_unbounded_gradient()
    {
        var expected = GradientOf("Recurrence", "Unbounded", 1_000_000, out var expectedValue);
        var gradient = GradientOf("Recurrence", "S32", 1_000_000, out var value);
        Assert.Equal(expectedValue, value);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(gradient[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"gradient[{i}]: {gradient[i]:R}, unbounded {expected[i]:R}");
    }

    [Theory]
    [InlineData("double h = x[0]; [|for|] (int t = 0; t < n; t++) { if (h > 10) break; h = h * w; } return h;", "exits early")]
    [InlineData("double h = x[0]; [|for|] (int t = 0; t < n; t++) { if (h > 10) return h; h = h * w; } return h;", "exits early")]
    [InlineData("double h = x[0]; [|for|] (int t = 0; t < n; t++) { h = h * w; if (h > 1) t++; } return h;", "not a counted loop")]
    [InlineData("double h = x[0]; int t = 0; [|while|] (h < 10 && t < n) { h = h * w + 1; t++; } return h;", "not a counted loop")]
    [InlineData("double h = x[0]; [|do|] { h = h * w; } while (h < n); return h;", "not a counted loop")]
    [InlineData("double h = x[0]; if (w > 0) { [|for|] (int t = 0; t < n; t++) h = h * w; } return h;", "inside a branch")]
    [InlineData("double h = 0; double[] y = new double[2]; [|for|] (int t = 0; t < n; t++) { Fill(h, y); h = w * y[0] + y[1]; } return h;", "calls the void method")]
    public void A_loop_that_cannot_be_checkpointed_gets_a_warning_at_its_keyword(string body, string why)
    {
        var source = MarkedSource.Parse($$"""
            using System;
            using AutoGrad;
            public static partial class C
            {
                [Differentiable] public static void Fill(double v, Span<double> y) { y[0] = v; y[1] = v * v; }
                [Differentiable(CheckpointSnapshots = 4)] public static double F(double[] x, double w, int n) { {{body}} }
            }
            """);
        var (result, output) = GeneratorHarness.Run(source.Text);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AG0019", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains(why, diagnostic.GetMessage());
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        Assert.DoesNotContain("Revolve", GeneratorHarness.Generated(result));
    }

    [Fact]
    public void A_negative_budget_is_reported_at_the_method()
    {
        var source = MarkedSource.Parse("""
            using AutoGrad;
            public static partial class C
            {
                [Differentiable(CheckpointSnapshots = -2)] public static double [|F|](double w, int n) { double h = 1; for (int t = 0; t < n; t++) h = h * w; return h; }
            }
            """);
        var (result, _) = GeneratorHarness.Run(source.Text);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AG0019", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("at least 1", diagnostic.GetMessage());
    }

    [Fact]
    public void Without_the_opt_in_no_loop_is_checkpointed_or_reported()
    {
        var (result, _) = GeneratorHarness.Run("""
            using AutoGrad;
            public static partial class C
            {
                [Differentiable] public static double F(double w, int n) { double h = 1; for (int t = 0; t < n; t++) { if (h > 5) break; h = h * w; } return h; }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain("Revolve", GeneratorHarness.Generated(result));
    }

    [Fact]
    public void Derivative_modes_beside_checkpointing_compile_and_the_Hessian_vector_product_saves_every_iteration()
    {
        var (result, output) = GeneratorHarness.Run("""
            using System;
            using AutoGrad;
            public static partial class C
            {
                [Differentiable(Modes = DerivativeModes.Forward | DerivativeModes.HessianVector, CheckpointSnapshots = 2)]
                public static double F(double w, double[] x, int n) { double h = 0.5; for (int t = 0; t < n; t++) h = Math.Tanh(w * h + x[t % x.Length]); return h * h; }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        var generated = GeneratorHarness.Generated(result);
        Assert.Equal(1, generated.Split("Revolve.Rent(").Length - 1); // in the combined sweep only
        Assert.Contains("FHessianVectorProduct", generated);
    }

    private delegate void OutputPullback(double[] x, double c, int n, double[] y, double[] dy, double[] dx, double[] dc);

    [Fact]
    public void An_output_span_updated_in_place_is_carried_state_and_its_pullback_equals_the_unbounded_one_and_central_differences()
    {
        const string body = """
            for (int i = 0; i < y.Length; i++) y[i] = x[i];
            for (int t = 0; t < n; t++)
            {
                double carry = y[y.Length - 1];
                for (int i = 0; i < y.Length; i++)
                {
                    double old = y[i];
                    y[i] = old + c * Math.Tanh(carry - old);
                    carry = old;
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run($$"""
            using System;
            using AutoGrad;
            public static partial class Smooth
            {
                [Differentiable(CheckpointSnapshots = 2)] public static void Checkpointed(double[] x, double c, int n, Span<double> y) { {{body}} }
                [Differentiable] public static void Unbounded(double[] x, double c, int n, Span<double> y) { {{body}} }
                public static void CheckpointedBack(double[] x, double c, int n, double[] y, double[] dy, double[] dx, double[] dc) => CheckpointedPullback(x, c, n, y, dy, dx, ref dc[0]);
                public static void UnboundedBack(double[] x, double c, int n, double[] y, double[] dy, double[] dx, double[] dc) => UnboundedPullback(x, c, n, y, dy, dx, ref dc[0]);
                public static void Primal(double[] x, double c, int n, double[] y) => Unbounded(x, c, n, y);
            }
            """);
        Assert.Empty(result.Diagnostics);
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        stream.Position = 0;
        var type = new AssemblyLoadContext("outputs").LoadFromStream(stream).GetType("Smooth")!;
        double[] x = [0.4, -0.3, 0.9, 0.1];
        double[] dy = [1.0, -0.5, 0.25, 2.0];
        foreach (var n in new[] { 0, 1, 2, 9, 50 })
        {
            double[] Run(string name, double c, double[] point, out double dc)
            {
                var y = new double[point.Length];
                var dx = new double[point.Length];
                var dcBox = new double[1];
                type.GetMethod(name)!.CreateDelegate<OutputPullback>()(point, c, n, y, dy, dx, dcBox);
                dc = dcBox[0];
                return dx;
            }
            var expected = Run("UnboundedBack", 0.3, x, out var expectedDc);
            var actual = Run("CheckpointedBack", 0.3, x, out var actualDc);
            Assert.True(Math.Abs(actualDc - expectedDc) <= 1e-12 * Math.Max(1, Math.Abs(expectedDc)), $"n = {n}: dc {actualDc:R}, unbounded {expectedDc:R}");
            for (var i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"n = {n}, dx[{i}]: {actual[i]:R}, unbounded {expected[i]:R}");

            // dy . y as a function of c, by central differences.
            var primal = type.GetMethod("Primal")!.CreateDelegate<Action<double[], double, int, double[]>>();
            double Weighted(double c) { var y = new double[x.Length]; primal(x, c, n, y); return y.Select((v, i) => v * dy[i]).Sum(); }
            var slope = (Weighted(0.3 + 1e-6) - Weighted(0.3 - 1e-6)) / 2e-6;
            Assert.True(Math.Abs(actualDc - slope) <= 1e-6 * Math.Max(1, Math.Abs(slope)), $"n = {n}: dc {actualDc:R}, finite differences {slope:R}");
        }
    }
}
