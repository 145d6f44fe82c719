using System;
using System.Collections.Generic;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// The one table of derivative rules for Math/MathF functions, keyed by name and arity: for
/// y = f(u, v, ...), the partial derivative with respect to each argument, written in terms of the
/// argument values and y. Every mode reads it (the reverse sweep multiplies an adjoint by it, the
/// tangent sweep a tangent), and lowering accepts exactly the functions it lists, so a new function
/// is one entry here. Non-differentiable points take the conventional one-sided value (Abs'(0) = 0,
/// Max picks the first argument on ties), as PyTorch and JAX do. A running extreme
/// (<c>x = Math.Max(x, v)</c>, <see cref="KeptOldExtreme"/>) is reversed from its result, so it gives ties to v.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>The values a partial derivative is written in: each argument and the result, each evaluated once.</summary>
    public sealed class Operands(MathCall call, Func<int, Expr> arg, Func<Expr> result)
    {
        public MathCall Call { get; } = call;
        public Expr Arg(int index) => arg(index);
        public Expr Result() => result();
        public Expr One() => ExprFactory.Number(Call.Type, 1);
        public Expr Zero() => ExprFactory.Number(Call.Type, 0);
        public Expr Number(double value) => ExprFactory.Number(Call.Type, value);
        public Expr Math(string function, params Expr[] arguments) => ExprFactory.Math(Call, function, arguments);
        public Expr Indicator(Expr condition) => Choose(condition, One(), Zero());
    }

    /// <summary>A function's rule: the partial with respect to argument i, and whether it reads the result (so a saved result is worth reusing).</summary>
    private sealed record Rule(Func<Operands, int, Expr>? Partial, bool ReadsResult = false)
    {
        /// <summary>Piecewise constant (Sign, Floor, ...): the derivative is zero wherever it exists.</summary>
        public bool IsPiecewiseConstant => Partial is null;
    }

    private static Expr Square(Expr e) => Mul(e, e);

    private static readonly Dictionary<string, Rule> s_rules = new()
    {
        ["Sin/1"] = new((o, _) => o.Math("Cos", o.Arg(0))),
        ["Cos/1"] = new((o, _) => Neg(o.Math("Sin", o.Arg(0)))),
        ["Tan/1"] = new((o, _) => Add(o.One(), Square(o.Result())), ReadsResult: true),
        ["Asin/1"] = new((o, _) => Div(o.One(), o.Math("Sqrt", Sub(o.One(), Square(o.Arg(0)))))),
        ["Acos/1"] = new((o, _) => Neg(Div(o.One(), o.Math("Sqrt", Sub(o.One(), Square(o.Arg(0))))))),
        ["Atan/1"] = new((o, _) => Div(o.One(), Add(o.One(), Square(o.Arg(0))))),
        // atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
        ["Atan2/2"] = new((o, i) =>
        {
            var radius = Add(Square(o.Arg(0)), Square(o.Arg(1)));
            return i == 0 ? Div(o.Arg(1), radius) : Neg(Div(o.Arg(0), radius));
        }),
        ["Sinh/1"] = new((o, _) => o.Math("Cosh", o.Arg(0))),
        ["Cosh/1"] = new((o, _) => o.Math("Sinh", o.Arg(0))),
        ["Tanh/1"] = new((o, _) => Sub(o.One(), Square(o.Result())), ReadsResult: true),
        ["Exp/1"] = new((o, _) => o.Result(), ReadsResult: true),
        ["Log/1"] = new((o, _) => Div(o.One(), o.Arg(0))),
        // log_b(a) = ln a / ln b
        ["Log/2"] = new((o, i) =>
        {
            var lnBase = o.Math("Log", o.Arg(1));
            return i == 0
                ? Div(o.One(), Mul(o.Arg(0), lnBase))
                : Neg(Div(o.Math("Log", o.Arg(0)), Mul(o.Arg(1), Square(lnBase))));
        }),
        ["Log10/1"] = new((o, _) => Div(o.One(), Mul(o.Arg(0), o.Number(2.302585092994046)))),
        ["Log2/1"] = new((o, _) => Div(o.One(), Mul(o.Arg(0), o.Number(0.6931471805599453)))),
        ["Sqrt/1"] = new((o, _) => Div(o.Number(0.5), o.Result()), ReadsResult: true),
        ["Cbrt/1"] = new((o, _) => Div(o.One(), Mul(o.Number(3), Square(o.Result()))), ReadsResult: true),
        ["Pow/2"] = new((o, i) => i == 0
            ? PowerRule(o)
            : Choose(Compare(BinaryOp.Greater, o.Arg(0), o.Zero()), Mul(o.Result(), o.Math("Log", o.Arg(0))), o.Zero())),
        ["Abs/1"] = new((o, _) => Choose(Compare(BinaryOp.Greater, o.Arg(0), o.Zero()), o.One(),
            Choose(Compare(BinaryOp.Less, o.Arg(0), o.Zero()), o.Number(-1), o.Zero()))),
        ["Max/2"] = new((o, i) => i == 0
            ? o.Indicator(Compare(BinaryOp.GreaterOrEqual, o.Arg(0), o.Arg(1)))
            : Choose(Compare(BinaryOp.GreaterOrEqual, o.Arg(0), o.Arg(1)), o.Zero(), o.One())),
        ["Min/2"] = new((o, i) => i == 0
            ? o.Indicator(Compare(BinaryOp.LessOrEqual, o.Arg(0), o.Arg(1)))
            : Choose(Compare(BinaryOp.LessOrEqual, o.Arg(0), o.Arg(1)), o.Zero(), o.One())),
        ["Clamp/3"] = new((o, i) =>
        {
            var below = Compare(BinaryOp.Less, o.Arg(0), o.Arg(1));
            var above = Compare(BinaryOp.Greater, o.Arg(0), o.Arg(2));
            return i switch { 0 => Choose(Or(below, above), o.Zero(), o.One()), 1 => o.Indicator(below), _ => o.Indicator(above) };
        }),
        ["Asinh/1"] = new((o, _) => Div(o.One(), o.Math("Sqrt", Add(Square(o.Arg(0)), o.One())))),
        ["Acosh/1"] = new((o, _) => Div(o.One(), o.Math("Sqrt", Sub(Square(o.Arg(0)), o.One())))),
        ["Atanh/1"] = new((o, _) => Div(o.One(), Sub(o.One(), Square(o.Arg(0))))),
        // |x| with y's sign: the slope is 1 where the result is x, -1 where it is -x; y's sign is piecewise constant.
        ["CopySign/2"] = new((o, i) => i == 0 ? Choose(Compare(BinaryOp.Equal, o.Result(), o.Arg(0)), o.One(), o.Number(-1)) : o.Zero(), ReadsResult: true),
        // x - y round(x / y): round(x / y) = (x - result) / y
        ["IEEERemainder/2"] = new((o, i) => i == 0 ? o.One() : Neg(Div(Sub(o.Arg(0), o.Result()), o.Arg(1))), ReadsResult: true),
        // the argument of larger (smaller) magnitude: the one the result equals, the first on ties
        ["MaxMagnitude/2"] = new((o, i) => SelectedArgument(o, i), ReadsResult: true),
        ["MinMagnitude/2"] = new((o, i) => SelectedArgument(o, i), ReadsResult: true),
        ["ScaleB/2"] = new((o, _) => o.Math("ScaleB", o.One(), o.Arg(1))), // x 2^n; n is an int
        ["BitIncrement/1"] = new((o, _) => o.One()),
        ["BitDecrement/1"] = new((o, _) => o.One()),
        ["FusedMultiplyAdd/3"] = new((o, i) => i switch { 0 => o.Arg(1), 1 => o.Arg(0), _ => o.One() }),
        ["Sign/1"] = new(Partial: null),
        ["Floor/1"] = new(Partial: null),
        ["Ceiling/1"] = new(Partial: null),
        ["Round/1"] = new(Partial: null),
        ["Round/2"] = new(Partial: null),
        ["Truncate/1"] = new(Partial: null),
    };

    /// <summary>Whether System.Math / System.MathF's <paramref name="name"/> with this many arguments has a rule.</summary>
    public static bool IsKnown(string name, int arity) => s_rules.ContainsKey(Key(name, arity));

    /// <inheritdoc cref="Rule.IsPiecewiseConstant"/>
    public static bool IsPiecewiseConstant(MathCall call) => Of(call).IsPiecewiseConstant;

    /// <summary>Whether the call's partial derivatives are written in terms of its result (tanh' = 1 - tanh²).</summary>
    public static bool ReadsResult(MathCall call) => Of(call).ReadsResult;

    /// <summary>The partial derivative of <paramref name="call"/> with respect to argument <paramref name="index"/>.</summary>
    /// <param name="call">The call being differentiated.</param>
    /// <param name="arg">The value of argument i, evaluated once.</param>
    /// <param name="result">The value of the call, evaluated once.</param>
    /// <param name="index">The argument to differentiate against.</param>
    public static Expr Partial(MathCall call, Func<int, Expr> arg, Func<Expr> result, int index) =>
        Of(call).Partial is { } partial ? partial(new Operands(call, arg, result), index) : Number(call.Type, 0);

    private static Rule Of(MathCall call) =>
        s_rules.TryGetValue(Key(call.Function, call.Arguments.Count), out var rule)
            ? rule
            : throw new InvalidOperationException($"No derivative rule for {call.Function} with {call.Arguments.Count} arguments.");

    private static string Key(string name, int arity) => name + "/" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// For a running extreme <c>x = Math.Max(x, v)</c> (or Min) reversed from its result rather than
    /// its old value: whether the result was the old <c>x</c>, i.e. <c>v</c> is below it (above, for
    /// Min). On ties <c>v</c> was the result, and NaN (no comparison holds) goes to <c>v</c> too.
    /// </summary>
    public static Expr KeptOldExtreme(MathCall call, Expr other, Expr result) =>
        Compare(call.Function == "Max" ? BinaryOp.Less : BinaryOp.Greater, other, result);

    private static Expr SelectedArgument(Operands o, int index)
    {
        var first = Compare(BinaryOp.Equal, o.Result(), o.Arg(0));
        return index == 0 ? o.Indicator(first) : Choose(first, o.Zero(), o.One());
    }

    /// <summary>
    /// What to write instead of a System.Math / MathF function (or its double./float. spelling) that has no
    /// rule here, for AG0018; null for a method of any other type.
    /// </summary>
    public static string? Advice(CallTarget target)
    {
        var method = target.Method;
        var dot = method.LastIndexOf('.');
        if (dot < 0) return null;
        var type = method.Substring(0, dot);
        var single = type == "float" || type == RuntimeNames.Math(single: true);
        if (!single && type != "double" && type != RuntimeNames.Math(single: false)) return null;
        var math = single ? "MathF" : "Math";
        return method.Substring(dot + 1) switch
        {
            "Exp2" => $"{math}.Pow(2, x)",
            "Exp10" => $"{math}.Pow(10, x)",
            "ExpM1" => $"{math}.Exp(x) - 1",
            "Exp2M1" => $"{math}.Pow(2, x) - 1",
            "Exp10M1" => $"{math}.Pow(10, x) - 1",
            "LogP1" => $"{math}.Log(1 + x)",
            "Log2P1" => $"{math}.Log2(1 + x)",
            "Log10P1" => $"{math}.Log10(1 + x)",
            "Hypot" => $"{math}.Sqrt(x * x + y * y)",
            "Lerp" => "a + (b - a) * t",
            "SinPi" or "CosPi" or "TanPi" => $"{math}.{method.Substring(dot + 1, 3)}({math}.PI * x)",
            "AsinPi" or "AcosPi" or "AtanPi" => $"{math}.{method.Substring(dot + 1, 4)}(x) / {math}.PI",
            "Atan2Pi" => $"{math}.Atan2(y, x) / {math}.PI",
            "RadiansToDegrees" => $"x * (180 / {math}.PI)",
            "DegreesToRadians" => $"x * ({math}.PI / 180)",
            "MaxNumber" or "MaxMagnitudeNumber" => $"{math}.Max(x, y) (or {math}.MaxMagnitude), which differ only for NaN",
            "MinNumber" or "MinMagnitudeNumber" => $"{math}.Min(x, y) (or {math}.MinMagnitude), which differ only for NaN",
            "ReciprocalEstimate" => "1 / x (the estimate differs between machines)",
            "ReciprocalSqrtEstimate" => $"1 / {math}.Sqrt(x) (the estimate differs between machines)",
            "RootN" => $"{math}.Pow(x, 1.0 / n)",
            "Ieee754Remainder" => $"{math}.IEEERemainder(x, y)",
            "SinCos" => $"{math}.Sin(x) and {math}.Cos(x)",
            _ => "it with the Math functions AutoGrad differentiates (see the README), or wrap it in a method of your own with a [DerivativeOf] rule",
        };
    }

    /// <summary>d/du u^v = v u^(v-1), folded for constant exponents so that Pow(u, 2) differentiates to 2u.</summary>
    private static Expr PowerRule(Operands o)
    {
        var exponent = o.Call.Arguments[1];
        if (exponent is Constant constant && Literals.TryValue(constant, out var n))
        {
            if (n == 1) return o.One();
            if (n == 2) return Mul(o.Number(2), o.Arg(0));
            return Mul(constant, o.Math("Pow", o.Arg(0), o.Number(n - 1)));
        }
        return Mul(o.Arg(1), o.Math("Pow", o.Arg(0), Sub(o.Arg(1), o.One())));
    }
}
