using System.Reflection;
using System.Runtime.Loader;
using AutoGrad.Generators.Tests.Infrastructure;
using AutoGrad.Tests;
using Microsoft.CodeAnalysis;

namespace AutoGrad.Generators.Tests.Fuzzing;

/// <summary>The verdict on one program: it passed, it was discarded (no sound check possible at its point), or it failed.</summary>
public sealed record Verdict(bool Passed, bool Discarded, string Message)
{
    /// <summary>Whether the program's generated code (NameTangent or reverse mode's) runs a loop in a vector's lanes.</summary>
    public bool LaneLoops { get; init; }

    /// <summary>Whether the program's gradient may keep a replayed loop's iterations (<c>ReplayBudget.Keeps</c>), checked both ways.</summary>
    public bool Keeps { get; init; }

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
            List<string> FilesWith(string text) => result.GeneratedTrees.Where(t => t.ToString().Contains(text)).Select(t => Path.GetFileName(t.FilePath)).ToList();
            var laneLoops = FilesWith("Lanes.LoadUnchecked(");
            var keeps = FilesWith("ReplayBudget.Keeps(");
            bool In(List<string> files, int i) => files.Any(file => file.StartsWith($"P{i}.", StringComparison.Ordinal));
            return programs.Select((p, i) => Check(p, assembly.GetType($"P{i}")!, p.AlsoFloat ? assembly.GetType($"P{i}F") : null, In(keeps, i))
                with { LaneLoops = In(laneLoops, i), Keeps = In(keeps, i) }).ToArray();
        }
        finally
        {
            context.Unload();
        }
    }

    private static Verdict Check(FuzzProgram program, Type type, Type? single, bool keeps)
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
                if (IsKink(forward, backward, expected, gradient[i])) return Verdict.Discard("not differentiable at the point");
                if (TakesIsolatedBranch(gradientOf, point, i, expected)) return Verdict.Discard("an isolated tie at the point");
                return Verdict.Fail($"gradient[{i}]: finite differences {expected:R}, NameGradient {gradient[i]:R}");
            }

            if (keeps && CheckKept(type, point, gradient) is { Passed: false } kept) return kept;

            var accumulated = Prefilled(point.Length);
            pullback((double[])point.Clone(), Seed, accumulated);
            pullback((double[])point.Clone(), Seed, accumulated);
            var prefilled = Prefilled(point.Length);
            for (var i = 0; i < point.Length; i++)
                if (!Close(prefilled[i] + 2 * Seed * gradient[i], accumulated[i], 1e-9))
                    return Verdict.Fail($"NamePullback[{i}]: accumulated {accumulated[i]:R}, expected {prefilled[i] + 2 * Seed * gradient[i]:R}");

            if (program.Modes && CheckModes(type, point, f, gradient) is { Passed: false } modes) return modes;
            return single is null ? Verdict.Pass : CheckFloat(single, point, f, gradient);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Verdict.Fail("threw " + e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>
    /// A gradient that may keep replayed iterations (<see cref="AutoGrad.Differentiation.ReplayBudget"/>) gives the same bits kept
    /// as replayed (already checked, with the default budget: the fuzzer's arrays are too short to keep): every run of the loop
    /// kept, then the first runs kept and the rest replayed.
    /// </summary>
    private static Verdict CheckKept(Type type, double[] point, double[] replayed)
    {
        var gradientOf = Method<Func<double[], double[], double>>(type, "Gradient");
        // The Hessian-vector product differentiates the reverse sweep that keeps: its product too, kept against replayed.
        var hessianVector = type.GetMethod("Hvp") is null ? null : Method<HessianVectorOf>(type, "Hvp");
        var direction = point.Select((_, i) => Math.Cos(0.9 * i + 0.4)).ToArray();
        double[] Product()
        {
            var product = new double[point.Length];
            hessianVector!((double[])point.Clone(), direction, new double[point.Length], product);
            return product;
        }
        var replayedProduct = hessianVector is null ? null : Product();
        foreach (var budget in new[] { long.MaxValue, 24 })
        {
            var (kept, keptProduct) = ReplayBudgets.With(budget, 0, () =>
            {
                var gradient = Enumerable.Repeat(Garbage, point.Length).ToArray();
                gradientOf((double[])point.Clone(), gradient);
                return (gradient, replayedProduct is null ? null : Product());
            });
            for (var i = 0; i < point.Length; i++)
                if (BitConverter.DoubleToInt64Bits(kept[i]) != BitConverter.DoubleToInt64Bits(replayed[i]))
                    return Verdict.Fail($"gradient[{i}] with iterations kept (budget {budget} B): {kept[i]:R}, replayed {replayed[i]:R}");
            if (replayedProduct is null) continue;
            for (var i = 0; i < point.Length; i++)
                if (BitConverter.DoubleToInt64Bits(keptProduct![i]) != BitConverter.DoubleToInt64Bits(replayedProduct[i]))
                    return Verdict.Fail($"NameHessianVectorProduct[{i}] with iterations kept (budget {budget} B): {keptProduct[i]:R}, replayed {replayedProduct[i]:R}");
        }
        return Verdict.Pass;
    }

    private delegate double TangentOf(double[] point, double[] direction, out double tangent);

    private delegate double HessianVectorOf(double[] point, double[] direction, double[] gradient, double[] product);

    /// <summary>
    /// The derivative modes of a program that opts into them: NameTangent against the gradient (already checked) and
    /// finite differences along a direction; then NameHessianVectorProduct and NameJacobian.
    /// </summary>
    private static Verdict CheckModes(Type type, double[] point, double f, double[] gradient)
    {
        var value = Method<Func<double[], double>>(type, "Value");
        var direction = point.Select((_, i) => Math.Sin(1.7 * i + 0.3)).ToArray();

        var returned = Method<TangentOf>(type, "Tangent")((double[])point.Clone(), direction, out var tangent);
        // The tangent's value is the method's own computation, lanes or not: the same bits.
        if (BitConverter.DoubleToInt64Bits(f) != BitConverter.DoubleToInt64Bits(returned)) return Verdict.Fail($"NameTangent returned {returned:R}, the method {f:R}");
        var dot = gradient.Select((g, i) => g * direction[i]).Sum();
        var scale = gradient.Select((g, i) => Math.Abs(g * direction[i])).Sum();
        if (Math.Abs(tangent - dot) > 1e-9 * Math.Max(1, scale)) return Verdict.Fail($"NameTangent {tangent:R}, gradient . direction {dot:R}");
        var along = AlongDirection(value, point, direction, 1e-6);
        if (!Close(along, tangent, GradientTolerance))
        {
            return IsKink(AlongDirection(value, point, direction, 1e-6, oneSided: 1), AlongDirection(value, point, direction, 1e-6, oneSided: -1), along, tangent)
                ? Verdict.Discard("not differentiable along the direction")
                : Verdict.Fail($"NameTangent {tangent:R}, finite differences along the direction {along:R}");
        }

        if (CheckHessianVector(type, point, f, gradient, direction) is { Passed: false } hessianVector) return hessianVector;
        return CheckJacobian(type, point, gradient);
    }

    /// <summary>NameHessianVectorProduct, where the program has it: its gradient against NameGradient, its product against central differences of NameGradient.</summary>
    private static Verdict CheckHessianVector(Type type, double[] point, double f, double[] gradient, double[] direction)
    {
        if (type.GetMethod("Hvp") is null) return Verdict.Pass;
        var gradientOf = Method<Func<double[], double[], double>>(type, "Gradient");
        var hvGradient = Enumerable.Repeat(Garbage, point.Length).ToArray();
        var product = Enumerable.Repeat(Garbage, point.Length).ToArray();
        var returned = Method<HessianVectorOf>(type, "Hvp")((double[])point.Clone(), direction, hvGradient, product);
        if (!Close(f, returned, 1e-10)) return Verdict.Fail($"NameHessianVectorProduct returned {returned:R}, the method {f:R}");
        for (var i = 0; i < point.Length; i++)
            if (!Close(gradient[i], hvGradient[i], 1e-9)) return Verdict.Fail($"NameHessianVectorProduct gradient[{i}] {hvGradient[i]:R}, NameGradient {gradient[i]:R}");
        var expected = GradientAlong(gradientOf, point, direction, 1e-5, 0);
        var productScale = Math.Max(1, expected.Max(Math.Abs));
        for (var i = 0; i < point.Length; i++)
        {
            if (Math.Abs(expected[i] - product[i]) <= 1e-4 * productScale) continue;
            // On a branch boundary (a point the grammar makes with a = 0 in a > -a) the gradient jumps along the
            // direction: its one-sided differences then disagree by more than the check allows.
            var up = GradientAlong(gradientOf, point, direction, 1e-5, 1);
            var down = GradientAlong(gradientOf, point, direction, 1e-5, -1);
            if (Math.Abs(up[i] - down[i]) > 1e-4 * productScale) return Verdict.Discard("the gradient is not differentiable along the direction");
            if (ProductsNearbyAgree(type, point, direction, i, expected[i], 1e-4 * productScale)) return Verdict.Discard("an isolated tie at the point");
            return Verdict.Fail($"NameHessianVectorProduct[{i}] {product[i]:R}, differences of NameGradient {expected[i]:R}");
        }
        return Verdict.Pass;
    }

    /// <summary>
    /// Whether NameHessianVectorProduct just either side of the point along the direction agrees with the differences:
    /// then the point sits on an isolated tie (<c>Min(x * x, x * 0)</c> at x = 0, a branch whose value and slope match the
    /// other's there but not its curvature), the one-point case <see cref="TakesIsolatedBranch"/> makes for gradients.
    /// </summary>
    private static bool ProductsNearbyAgree(Type type, double[] point, double[] direction, int i, double expected, double tolerance)
    {
        var hessianVector = Method<HessianVectorOf>(type, "Hvp");
        foreach (var step in (ReadOnlySpan<double>)[1e-6, -1e-6])
        {
            var nearby = point.Select((p, k) => p + step * direction[k]).ToArray();
            var product = new double[point.Length];
            hessianVector(nearby, direction, new double[point.Length], product);
            if (Math.Abs(product[i] - expected) > tolerance) return false;
        }
        return true;
    }

    /// <summary>The Jacobian of J (F's body, writing F's value and a second output) against finite differences, its first row against F's gradient.</summary>
    private static Verdict CheckJacobian(Type type, double[] point, double[] gradient)
    {
        var jValue = Method<Action<double[], double[]>>(type, "JValue");
        var outputs = new double[2];
        jValue((double[])point.Clone(), outputs);
        if (outputs.Any(o => !double.IsFinite(o) || Math.Abs(o) > 1e6)) return Verdict.Discard("J's value out of range");
        var written = new double[2];
        var jacobian = Enumerable.Repeat(Garbage, 2 * point.Length).ToArray();
        Method<Action<double[], double[], double[]>>(type, "JacobianOfJ")((double[])point.Clone(), written, jacobian);
        if (!Close(outputs[0], written[0], 1e-10) || !Close(outputs[1], written[1], 1e-10))
            return Verdict.Fail($"NameJacobian wrote ({written[0]:R}, {written[1]:R}), J ({outputs[0]:R}, {outputs[1]:R})");
        for (var i = 0; i < point.Length; i++)
        {
            if (!Close(gradient[i], jacobian[i], 1e-9)) return Verdict.Fail($"NameJacobian[0, {i}] {jacobian[i]:R}, F's gradient {gradient[i]:R}");
            var column = JacobianColumn(jValue, point, i, 1e-6, 0);
            if (Close(column[1], jacobian[point.Length + i], GradientTolerance)) continue;
            var (up, down) = (JacobianColumn(jValue, point, i, 1e-6, 1), JacobianColumn(jValue, point, i, 1e-6, -1));
            return IsKink(up[1], down[1], column[1], jacobian[point.Length + i])
                ? Verdict.Discard("J not differentiable at the point")
                : Verdict.Fail($"NameJacobian[1, {i}] {jacobian[point.Length + i]:R}, finite differences {column[1]:R}");
        }
        return Verdict.Pass;
    }

    /// <summary>The derivative of f along a direction: central, or one-sided (+1 forward, -1 backward).</summary>
    private static double AlongDirection(Func<double[], double> f, double[] point, double[] direction, double step, int oneSided = 0)
    {
        double At(double t) => f(point.Select((p, i) => p + t * direction[i]).ToArray());
        return oneSided switch
        {
            0 => (At(step) - At(-step)) / (2 * step),
            _ => (At(oneSided * step) - At(0)) / (oneSided * step),
        };
    }

    /// <summary>The derivative of the generated gradient along a direction (H·v by differences): central or one-sided.</summary>
    private static double[] GradientAlong(Func<double[], double[], double> gradientOf, double[] point, double[] direction, double step, int oneSided)
    {
        double[] At(double t)
        {
            var g = new double[point.Length];
            gradientOf(point.Select((p, i) => p + t * direction[i]).ToArray(), g);
            return g;
        }
        var (high, low, width) = oneSided switch
        {
            0 => (At(step), At(-step), 2 * step),
            1 => (At(step), At(0), step),
            _ => (At(0), At(-step), step),
        };
        return high.Select((h, i) => (h - low[i]) / width).ToArray();
    }

    /// <summary>The derivative of J's two outputs with respect to input i: central or one-sided.</summary>
    private static double[] JacobianColumn(Action<double[], double[]> j, double[] point, int i, double relativeStep, int oneSided)
    {
        var step = relativeStep * Math.Max(1, Math.Abs(point[i]));
        double[] At(double t)
        {
            var x = (double[])point.Clone();
            x[i] += t;
            var o = new double[2];
            j(x, o);
            return o;
        }
        var (high, low, width) = oneSided switch
        {
            0 => (At(step), At(-step), 2 * step),
            1 => (At(step), At(0), step),
            _ => (At(0), At(-step), step),
        };
        return [(high[0] - low[0]) / width, (high[1] - low[1]) / width];
    }

    /// <summary>The float version against the double one (already checked against finite differences).</summary>
    private static Verdict CheckFloat(Type single, double[] point, double f, double[] gradient)
    {
        // A coordinate that float rounds to zero, a subnormal or infinity can flip a comparison between two such
        // values (5e-76 < 6e-54 in double, 0 < 0 in float): the float program then runs another path, so the
        // float version is not compared at such a point (the double one passed its checks above).
        if (point.Any(p => p != 0 && !float.IsNormal((float)p))) return Verdict.Pass;
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

    /// <summary>
    /// Whether a kink or a branch boundary within the differences' step explains why the central difference
    /// <paramref name="central"/> misses the derivative <paramref name="derivative"/>: the one-sided differences
    /// disagree beyond 1e-3, or (at small scales, where that bound is loose) by as much as the miss, with the
    /// derivative on one side's slope (the side of the branch the point takes). A wrong derivative at a smooth
    /// point lies on neither.
    /// </summary>
    private static bool IsKink(double forward, double backward, double central, double derivative)
    {
        if (!Close(forward, backward, 1e-3)) return true;
        var gap = Math.Abs(forward - backward);
        return gap >= Math.Abs(central - derivative) && Math.Min(Math.Abs(derivative - forward), Math.Abs(derivative - backward)) <= 0.1 * gap;
    }

    private static bool Close(double expected, double actual, double tolerance) =>
        Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected));

    private static double[] Prefilled(int length) => Enumerable.Range(0, length).Select(i => 0.25 * i - 1).ToArray();
}
