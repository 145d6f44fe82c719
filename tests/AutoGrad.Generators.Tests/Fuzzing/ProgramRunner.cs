using System.Reflection;
using System.Runtime.Loader;
using AutoGrad.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>The verdict on one program: it passed, it was discarded (no sound check possible at its point), or it failed.</summary>
public sealed record Verdict(bool Passed, bool Discarded, string Message)
{
    public static readonly Verdict Pass = new(true, false, "");
    public static Verdict Discard(string why) => new(false, true, why);
    public static Verdict Fail(string why) => new(false, false, why);
    public bool Failed => !Passed && !Discarded;
}

/// <summary>
/// Runs random programs through the generator in process (CSharpGeneratorDriver), emits the
/// result to memory, loads it, and checks each program's generated methods: NameGradient
/// returns the value and overwrites its gradient, which matches central finite differences;
/// NamePullback accumulates seed times the gradient; the inputs are left unchanged; and the
/// float version agrees with the double one. Many programs share one compilation.
/// </summary>
internal static class ProgramRunner
{
    private const double GradientTolerance = 1e-5;
    private const double FloatTolerance = 2e-3;
    private const double Seed = 0.75;
    private const double Garbage = 12345.5;

    public static Verdict[] Run(IReadOnlyList<FuzzProgram> programs)
    {
        var sources = new List<string> { FuzzProgram.Usings + FuzzProgram.Helpers(false) + FuzzProgram.Helpers(true) };
        for (var i = 0; i < programs.Count; i++)
        {
            var text = programs[i].Render($"P{i}", single: false);
            if (programs[i].AlsoFloat) text += programs[i].Render($"P{i}F", single: true);
            sources.Add(FuzzProgram.Usings + text);
        }
        var (result, output) = GeneratorHarness.Run(sources.ToArray());
        var errors = result.Diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            // Blame the programs one by one (rare: the grammar is meant to stay within what is supported).
            if (programs.Count > 1) return programs.SelectMany(p => Run([p])).ToArray();
            return [Verdict.Fail("does not compile: " + string.Join("; ", errors.Take(3).Select(e => e.ToString())))];
        }

        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        if (!emitted.Success) return programs.Select(_ => Verdict.Fail("emit failed: " + string.Join("; ", emitted.Diagnostics.Take(3)))).ToArray();
        var context = new AssemblyLoadContext("fuzz", isCollectible: true);
        try
        {
            stream.Position = 0;
            var assembly = context.LoadFromStream(stream);
            return programs.Select((p, i) => Check(p, assembly.GetType($"P{i}")!, p.AlsoFloat ? assembly.GetType($"P{i}F") : null)).ToArray();
        }
        finally
        {
            context.Unload();
        }
    }

    private static Verdict Check(FuzzProgram program, Type type, Type? single)
    {
        var value = Method<Func<double[], double>>(type, "Value");
        var gradientOf = Method<Func<double[], double[], double>>(type, "Gradient");
        var pullback = Method<Action<double[], double, double[]>>(type, "Pullback");
        var point = program.Point;
        try
        {
            var f = value((double[])point.Clone());
            if (!double.IsFinite(f) || Math.Abs(f) > 1e6) return Verdict.Discard("value out of range");

            var inputs = (double[])point.Clone();
            var gradient = Enumerable.Repeat(Garbage, point.Length).ToArray();
            var returned = gradientOf(inputs, gradient);
            if (!Close(f, returned, 1e-10)) return Verdict.Fail($"NameGradient returned {returned:R}, the method {f:R}");
            if (gradient.Any(g => !double.IsFinite(g) || Math.Abs(g) > 1e8)) return Verdict.Discard("gradient out of range");

            for (var i = 0; i < point.Length; i++)
            {
                var expected = FiniteDifference(value, point, i, 1e-6);
                if (Close(expected, gradient[i], GradientTolerance)) continue;
                // On a branch boundary or a kink (a tie such as y[i] - y[i] < c) the one-sided differences disagree.
                var forward = OneSidedDifference(value, point, i, 1e-6);
                var backward = OneSidedDifference(value, point, i, -1e-6);
                if (!Close(forward, backward, 1e-3)) return Verdict.Discard("not differentiable at the point");
                if (TakesIsolatedBranch(gradientOf, point, i, expected)) return Verdict.Discard("an isolated tie at the point");
                return Verdict.Fail($"gradient[{i}]: finite differences {expected:R}, NameGradient {gradient[i]:R}");
            }

            var accumulated = Prefilled(point.Length);
            pullback((double[])point.Clone(), Seed, accumulated);
            pullback((double[])point.Clone(), Seed, accumulated);
            var prefilled = Prefilled(point.Length);
            for (var i = 0; i < point.Length; i++)
                if (!Close(prefilled[i] + 2 * Seed * gradient[i], accumulated[i], 1e-9))
                    return Verdict.Fail($"NamePullback[{i}]: accumulated {accumulated[i]:R}, expected {prefilled[i] + 2 * Seed * gradient[i]:R}");

            return single is null ? Verdict.Pass : CheckFloat(single, point, f, gradient);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Verdict.Fail("threw " + e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>The float version against the double one (already checked against finite differences).</summary>
    private static Verdict CheckFloat(Type single, double[] point, double f, double[] gradient)
    {
        var inputs = point.Select(p => (float)p).ToArray();
        var value = Method<Func<float[], float>>(single, "Value")((float[])inputs.Clone());
        var floatGradient = Enumerable.Repeat((float)Garbage, point.Length).ToArray();
        var returned = Method<Func<float[], float[], float>>(single, "Gradient")(inputs, floatGradient);
        if (value != returned) return Verdict.Fail($"float NameGradient returned {returned:R}, the method {value:R}");
        // float rounding of the point moves the value; compare only where the double gradient is well away from range trouble.
        var scale = Math.Max(1, gradient.Max(Math.Abs));
        for (var i = 0; i < point.Length; i++)
        {
            if (Math.Abs(floatGradient[i] - gradient[i]) > FloatTolerance * scale)
            {
                if (!Close(value, f, 1e-3)) return Verdict.Discard("float value far from double");
                return Verdict.Fail($"float gradient[{i}]: {floatGradient[i]:R}, double {gradient[i]:R}");
            }
        }
        var accumulated = Prefilled(point.Length).Select(p => (float)p).ToArray();
        Method<Action<float[], float, float[]>>(single, "Pullback")((float[])inputs.Clone(), (float)Seed, accumulated);
        var prefilled = Prefilled(point.Length);
        for (var i = 0; i < point.Length; i++)
            if (Math.Abs(prefilled[i] + Seed * floatGradient[i] - accumulated[i]) > 1e-4 * Math.Max(1, Math.Abs(accumulated[i])))
                return Verdict.Fail($"float NamePullback[{i}]: accumulated {accumulated[i]:R}, expected {prefilled[i] + Seed * floatGradient[i]:R}");
        return Verdict.Pass;
    }

    private static T Method<T>(Type type, string name) where T : Delegate =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();

    private static double FiniteDifference(Func<double[], double> f, double[] point, int i, double relativeStep)
    {
        var x = (double[])point.Clone();
        var step = relativeStep * Math.Max(1, Math.Abs(x[i]));
        var up = x[i] + step;
        var down = x[i] - step;
        x[i] = up;
        var fUp = f((double[])x.Clone());
        x[i] = down;
        var fDown = f((double[])x.Clone());
        return (fUp - fDown) / (up - down);
    }

    private static double OneSidedDifference(Func<double[], double> f, double[] point, int i, double relativeStep)
    {
        var x = (double[])point.Clone();
        var moved = x[i] + relativeStep * Math.Max(1, Math.Abs(x[i]));
        var step = moved - x[i];
        var f0 = f((double[])x.Clone());
        x[i] = moved;
        return (f((double[])x.Clone()) - f0) / step;
    }

    /// <summary>
    /// Whether the point sits on an isolated tie: a comparison that decides differently at the point alone
    /// (<c>tanh(x)² &gt; 0</c> at x = 0), so the generated gradient there is the taken branch's, while the generated
    /// gradients just either side agree with the differences. A generator bug shows at the neighbours too.
    /// </summary>
    private static bool TakesIsolatedBranch(Func<double[], double[], double> gradientOf, double[] point, int i, double expected)
    {
        foreach (var relativeStep in (ReadOnlySpan<double>)[1e-6, -1e-6])
        {
            var nearby = (double[])point.Clone();
            nearby[i] += relativeStep * Math.Max(1, Math.Abs(nearby[i]));
            var gradient = new double[point.Length];
            gradientOf(nearby, gradient);
            if (!Close(expected, gradient[i], GradientTolerance)) return false;
        }
        return true;
    }

    private static bool Close(double expected, double actual, double tolerance) =>
        Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected));

    private static double[] Prefilled(int length) => Enumerable.Range(0, length).Select(i => 0.25 * i - 1).ToArray();
}
