namespace AutoGrad.Tape;

/// <summary>
/// Differentiable functions that record on <see cref="GradientTape.Current"/>: scalar functions of
/// <see cref="Var"/> here, vector and matrix operations in the other part of this class.
/// </summary>
public static partial class TapeMath
{
    /// <summary>Records <c>sin x</c>.</summary>
    public static Var Sin(Var x) => GradientTape.Current.Push(Math.Sin(x.Value), x.Index, Math.Cos(x.Value));

    /// <summary>Records <c>cos x</c>.</summary>
    public static Var Cos(Var x) => GradientTape.Current.Push(Math.Cos(x.Value), x.Index, -Math.Sin(x.Value));

    /// <summary>Records <c>tan x</c>.</summary>
    public static Var Tan(Var x)
    {
        double tan = Math.Tan(x.Value);
        return GradientTape.Current.Push(tan, x.Index, 1 + tan * tan);
    }

    /// <summary>Records <c>e^x</c>.</summary>
    public static Var Exp(Var x)
    {
        double exp = Math.Exp(x.Value);
        return GradientTape.Current.Push(exp, x.Index, exp);
    }

    /// <summary>Records the natural logarithm of <paramref name="x"/>.</summary>
    public static Var Log(Var x) => GradientTape.Current.Push(Math.Log(x.Value), x.Index, 1 / x.Value);

    /// <summary>Records the square root of <paramref name="x"/>.</summary>
    public static Var Sqrt(Var x)
    {
        double root = Math.Sqrt(x.Value);
        return GradientTape.Current.Push(root, x.Index, 0.5 / root);
    }

    /// <summary>Records <c>tanh x</c>.</summary>
    public static Var Tanh(Var x)
    {
        double tanh = Math.Tanh(x.Value);
        return GradientTape.Current.Push(tanh, x.Index, 1 - tanh * tanh);
    }

    /// <summary>Records the logistic function <c>1 / (1 + e^-x)</c>.</summary>
    public static Var Sigmoid(Var x)
    {
        double sigmoid = 1 / (1 + Math.Exp(-x.Value));
        return GradientTape.Current.Push(sigmoid, x.Index, sigmoid * (1 - sigmoid));
    }

    /// <summary>Records <c>x * x</c>.</summary>
    public static Var Square(Var x) => GradientTape.Current.Push(x.Value * x.Value, x.Index, 2 * x.Value);

    /// <summary>Records <c>x^p</c> for a constant exponent.</summary>
    public static Var Pow(Var x, double p) =>
        // Squares, the common case, without libm's pow (as PyTorch's pow kernel special-cases 2).
        p == 2
            ? GradientTape.Current.Push(x.Value * x.Value, x.Index, 2 * x.Value)
            : GradientTape.Current.Push(Math.Pow(x.Value, p), x.Index, p * Math.Pow(x.Value, p - 1));

    /// <summary>Records <c>b^x</c> for a constant base.</summary>
    public static Var Pow(double b, Var x)
    {
        double power = Math.Pow(b, x.Value);
        return GradientTape.Current.Push(power, x.Index, power * Math.Log(b));
    }

    /// <summary>
    /// Records <c>x^y</c>. The partial towards <paramref name="y"/>, <c>x^y ln x</c>, is taken as 0
    /// where <c>x &lt;= 0</c> (the power is only defined there for integral y, where it is flat in y
    /// along the integers).
    /// </summary>
    public static Var Pow(Var x, Var y)
    {
        double power = Math.Pow(x.Value, y.Value);
        double dx = y.Value * Math.Pow(x.Value, y.Value - 1);
        double dy = x.Value > 0 ? power * Math.Log(x.Value) : 0;
        return GradientTape.Current.Push(power, x.Index, dx, y.Index, dy);
    }

    /// <summary>Records <c>|x|</c>; the derivative at 0 is taken as 0.</summary>
    public static Var Abs(Var x) =>
        GradientTape.Current.Push(Math.Abs(x.Value), x.Index, x.Value > 0 ? 1 : x.Value < 0 ? -1 : 0);

    // Max and Min return the chosen operand itself: its gradient flows through unchanged, so a
    // node of its own would only cost a slot.

    /// <summary>The larger of <paramref name="a"/> and <paramref name="b"/>; a tie picks <paramref name="a"/>.</summary>
    public static Var Max(Var a, Var b) => a.Value >= b.Value ? a : b;

    /// <summary>The larger of <paramref name="a"/> and a constant (e.g. <c>Max(x, 0)</c> for ReLU); a tie picks <paramref name="a"/>.</summary>
    public static Var Max(Var a, double b) => a.Value >= b ? a : b;

    /// <summary>The smaller of <paramref name="a"/> and <paramref name="b"/>; a tie picks <paramref name="a"/>.</summary>
    public static Var Min(Var a, Var b) => a.Value <= b.Value ? a : b;

    /// <summary>The smaller of <paramref name="a"/> and a constant; a tie picks <paramref name="a"/>.</summary>
    public static Var Min(Var a, double b) => a.Value <= b ? a : b;
}
