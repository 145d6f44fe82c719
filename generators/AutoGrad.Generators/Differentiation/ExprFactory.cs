using AutoGrad.Generators.Model;

namespace AutoGrad.Generators.Differentiation;

/// <summary>Builds IR expressions for derivative code, folding the trivial cases so the output stays readable.</summary>
internal static class ExprFactory
{
    public static Constant Number(ScalarType type, double value) => Literals.Of(type, value);

    /// <summary>The value a declared variable of the type starts with.</summary>
    public static Expr Default(ScalarType type) => type switch
    {
        ScalarType.Bool => new Constant(type, "false"),
        ScalarType.Int => new Constant(type, "0"),
        ScalarType.Long => new Constant(type, "0L"),
        _ => Number(type, 0),
    };

    public static bool IsNumber(Expr e, double value) =>
        e is Constant { Type: ScalarType.Double or ScalarType.Float } c && c.Text == Literals.Of(c.Type, value).Text;

    public static Expr Add(Expr a, Expr b) =>
        IsNumber(a, 0) ? b : IsNumber(b, 0) ? a : new Binary(a.Type, BinaryOp.Add, a, b);

    public static Expr Sub(Expr a, Expr b) =>
        IsNumber(b, 0) ? a : IsNumber(a, 0) ? Neg(b) : new Binary(a.Type, BinaryOp.Subtract, a, b);

    public static Expr Mul(Expr a, Expr b)
    {
        if (IsNumber(a, 1)) return b;
        if (IsNumber(b, 1)) return a;
        if (IsNumber(a, -1)) return Neg(b);
        if (IsNumber(b, -1)) return Neg(a);
        return new Binary(a.Type, BinaryOp.Multiply, a, b);
    }

    public static Expr Div(Expr a, Expr b) => IsNumber(b, 1) ? a : new Binary(a.Type, BinaryOp.Divide, a, b);

    public static Expr Neg(Expr a) => a switch
    {
        Unary { Op: UnaryOp.Negate } negated => negated.Operand,
        _ => new Unary(a.Type, UnaryOp.Negate, a),
    };

    public static Expr Compare(BinaryOp op, Expr a, Expr b) => new Binary(ScalarType.Bool, op, a, b);

    public static Expr Or(Expr a, Expr b) => new Binary(ScalarType.Bool, BinaryOp.Or, a, b);

    public static Expr Choose(Expr condition, Expr whenTrue, Expr whenFalse) => new Conditional(whenTrue.Type, condition, whenTrue, whenFalse);

    public static Expr Math(MathCall like, string function, params Expr[] arguments) =>
        new MathCall(like.Type, function, like.Single, arguments.ToEquatableArray());

    public static Expr CastTo(ScalarType type, Expr e) => e.Type == type ? e : new Cast(type, e);
}
