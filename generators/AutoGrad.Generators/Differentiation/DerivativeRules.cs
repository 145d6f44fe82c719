using System;
using AutoGrad.Generators.Model;
using static AutoGrad.Generators.Differentiation.ExprFactory;

namespace AutoGrad.Generators.Differentiation;

/// <summary>
/// The one table of derivative rules for Math/MathF functions: for y = f(u, v, ...), the partial
/// derivative with respect to each argument, written in terms of the argument values and y.
/// Non-differentiable points take the conventional one-sided value (Abs'(0) = 0, Max picks the
/// first argument on ties), as PyTorch and JAX do.
/// </summary>
internal static class DerivativeRules
{
    /// <param name="call">The call being differentiated.</param>
    /// <param name="arg">The value of argument i, evaluated once.</param>
    /// <param name="result">The value of the call, evaluated once.</param>
    /// <param name="index">The argument to differentiate against.</param>
    public static Expr Partial(MathCall call, Func<int, Expr> arg, Func<Expr> result, int index)
    {
        var t = call.Type;
        Expr One() => Number(t, 1);
        Expr Zero() => Number(t, 0);
        Expr Square(Expr e) => Mul(e, e);
        Expr Indicator(Expr condition) => Choose(condition, One(), Zero());

        switch (call.Function)
        {
            case "Sin": return Math(call, "Cos", arg(0));
            case "Cos": return Neg(Math(call, "Sin", arg(0)));
            case "Tan": return Add(One(), Square(result()));
            case "Asin": return Div(One(), Math(call, "Sqrt", Sub(One(), Square(arg(0)))));
            case "Acos": return Neg(Div(One(), Math(call, "Sqrt", Sub(One(), Square(arg(0))))));
            case "Atan": return Div(One(), Add(One(), Square(arg(0))));
            case "Atan2":
                // atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
                var radius = Add(Square(arg(0)), Square(arg(1)));
                return index == 0 ? Div(arg(1), radius) : Neg(Div(arg(0), radius));
            case "Sinh": return Math(call, "Cosh", arg(0));
            case "Cosh": return Math(call, "Sinh", arg(0));
            case "Tanh": return Sub(One(), Square(result()));
            case "Exp": return result();
            case "Log" when call.Arguments.Count == 1: return Div(One(), arg(0));
            case "Log":
                // log_b(a) = ln a / ln b
                var lnBase = Math(call, "Log", arg(1));
                return index == 0
                    ? Div(One(), Mul(arg(0), lnBase))
                    : Neg(Div(Math(call, "Log", arg(0)), Mul(arg(1), Square(lnBase))));
            case "Log10": return Div(One(), Mul(arg(0), Number(t, 2.302585092994046)));
            case "Log2": return Div(One(), Mul(arg(0), Number(t, 0.6931471805599453)));
            case "Sqrt": return Div(Number(t, 0.5), result());
            case "Cbrt": return Div(One(), Mul(Number(t, 3), Square(result())));
            case "Pow":
                return index == 0 ? PowerRule(call, arg) : Choose(Compare(BinaryOp.Greater, arg(0), Zero()), Mul(result(), Math(call, "Log", arg(0))), Zero());
            case "Abs":
                return Choose(Compare(BinaryOp.Greater, arg(0), Zero()), One(),
                    Choose(Compare(BinaryOp.Less, arg(0), Zero()), Number(t, -1), Zero()));
            case "Max":
                var firstIsMax = Compare(BinaryOp.GreaterOrEqual, arg(0), arg(1));
                return index == 0 ? Indicator(firstIsMax) : Choose(firstIsMax, Zero(), One());
            case "Min":
                var firstIsMin = Compare(BinaryOp.LessOrEqual, arg(0), arg(1));
                return index == 0 ? Indicator(firstIsMin) : Choose(firstIsMin, Zero(), One());
            case "Clamp":
                var below = Compare(BinaryOp.Less, arg(0), arg(1));
                var above = Compare(BinaryOp.Greater, arg(0), arg(2));
                return index switch
                {
                    0 => Choose(Or(below, above), Zero(), One()),
                    1 => Indicator(below),
                    _ => Indicator(above),
                };
            case "FusedMultiplyAdd":
                return index switch { 0 => arg(1), 1 => arg(0), _ => One() };
            default:
                throw new InvalidOperationException($"No derivative rule for {call.Function}.");
        }
    }

    /// <summary>d/du u^v = v u^(v-1), folded for constant exponents so that Pow(u, 2) differentiates to 2u.</summary>
    private static Expr PowerRule(MathCall call, Func<int, Expr> arg)
    {
        var exponent = call.Arguments[1];
        if (exponent is Constant constant && Literals.TryValue(constant, out var n))
        {
            if (n == 1) return Number(call.Type, 1);
            if (n == 2) return Mul(Number(call.Type, 2), arg(0));
            return Mul(constant, Math(call, "Pow", arg(0), Number(call.Type, n - 1)));
        }
        return Mul(arg(1), Math(call, "Pow", arg(0), Sub(arg(1), Number(call.Type, 1))));
    }
}
