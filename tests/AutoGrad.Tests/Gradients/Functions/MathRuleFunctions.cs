namespace AutoGrad.Tests.Gradients;

/// <summary>Math functions with rules of their own, and predicates and integer-valued functions read as constants (issue 8, point 5).</summary>
public static partial class MathRuleFunctions
{
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static double Inverses(double x, double y) =>
        Math.Asinh(x * y) + double.Acosh(2 + x * x) + Math.Atanh(0.5 * Math.Tanh(y)) + Math.CopySign(x, y - 0.1) * y
        + Math.IEEERemainder(3 * x, 1 + y * y) + double.MaxMagnitude(x, y) * Math.MinMagnitude(x, -y) + Math.ScaleB(x, 3) + Math.BitIncrement(y);

    [Differentiable]
    public static float InversesSingle(float x, float y) =>
        MathF.Asinh(x * y) + float.Acosh(2 + x * x) + MathF.CopySign(x, y) * y + MathF.MaxMagnitude(x, y) + MathF.ScaleB(y, -1);

    /// <summary>Predicates and integer-valued functions: constants, with derivative zero where they have one.</summary>
    [Differentiable]
    public static double Constants(double x, double y)
    {
        double s = double.IsNaN(x) || !double.IsFinite(y) ? 0 : x * y;
        s += Math.Sign(x) * y + double.Sign(y) * x + Math.ILogB(2 + x * x) * y;
        if (double.IsNegative(x) || double.IsInteger(y)) s += x;
        return s + Math.Floor(x) + double.Round(y, 1) + Math.Abs((int)(3 * x)) * y + Math.Max(1, (int)y) * x;
    }
}
