namespace AutoGrad.Tests.Gradients;

/// <summary>Straight-line scalar code: locals, reassignment, every Math function, constants.</summary>
public static partial class ScalarFunctions
{
    [Differentiable]
    public static double Seed(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);

    [Differentiable]
    public static double CompoundAssignments(double a, double b)
    {
        double t = a * b;
        t = t + a;
        t += b * b;
        t -= a / 3;
        t *= a + 1;
        t /= b + 2;
        return t;
    }

    [Differentiable]
    public static double ReassignedParameters(double x, double y)
    {
        x = x * x;
        y += x;
        y -= 0.5;
        y *= x;
        y /= 3;
        x = y - x;
        return x + y;
    }

    [Differentiable]
    public static double Trigonometric(double x, double y) => Math.Sin(x) * Math.Cos(y) + Math.Tan(x * y);

    [Differentiable]
    public static double InverseTrigonometric(double x, double y) =>
        Math.Asin(x) + Math.Acos(y) * Math.Atan(x * y) + Math.Atan2(y, x);

    [Differentiable]
    public static double Hyperbolic(double x, double y) => Math.Sinh(x) * Math.Cosh(y) - Math.Tanh(x - y);

    [Differentiable]
    public static double Logarithms(double x, double y) =>
        Math.Exp(x) + Math.Log(y) * Math.Log(x, y) + Math.Log10(x * y) - Math.Log2(y + x);

    [Differentiable]
    public static double Roots(double x, double y) => Math.Sqrt(x * y) + Math.Cbrt(x - y);

    [Differentiable]
    public static double ConstantPowers(double x) =>
        Math.Pow(x, 3) + Math.Pow(x, 2) + Math.Pow(x, 1) + Math.Pow(x, 0.5) - Math.Pow(x, -1.5);

    [Differentiable]
    public static double VariablePower(double x, double y) => Math.Pow(x, y) + Math.Pow(y, x * 0.5);

    [Differentiable]
    public static double AbsMaxMin(double x, double y) => Math.Abs(x) * Math.Max(x, y) + Math.Min(x * y, y);

    [Differentiable]
    public static double Clamped(double x, double low, double high) => Math.Clamp(x, low, high) * x;

    [Differentiable]
    public static double PiecewiseConstant(double x, double y) =>
        x * Math.Sign(y) + y * Math.Floor(x) + Math.Ceiling(x) * Math.Round(y) + Math.Truncate(x * y) * x + Math.Round(x * y, 1);

    [Differentiable]
    public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c) * a;

    [Differentiable]
    public static double NegationAndDivision(double x, double y) => -(x / y) + 1 / (x * x + 1) - -y;

    [Differentiable]
    public static double ConstantParameters(double x, int power, bool negate) =>
        negate ? -Math.Pow(x, power) : Math.Pow(x, power) * power;

    [Differentiable]
    public static double WeightedByConstant(double x, [NoGradient] double weight, double y) => weight * x * x + y * weight + x * y;

    /// <summary>A double method that narrows to float in the middle.</summary>
    [Differentiable]
    public static double FloatInsideDouble(double x, double y)
    {
        float narrow = (float)x;
        float product = narrow * (float)y;
        return product + Math.Sin(x);
    }

    [Differentiable]
    public static double NameClashes(double seed, double dseed, double result, double doubleStack, double g1) =>
        seed * dseed + result * doubleStack + g1 * seed;

    [Differentiable]
    public static double MixedFloatAccumulation(double x, double y)
    {
        float f = (float)y * 2;
        double d = x;
        d += f;
        d *= y;
        f *= (float)d;
        return d + f;
    }

    [Differentiable]
    public static float IntToFloatAndBack(float x, int n)
    {
        float s = 0;
        for (int i = 0; i < n; i++) s += x / (i + 1) + (float)(i * 0.5);
        return s;
    }

    [Differentiable]
    public static double SameVariableBothSides(double x)
    {
        double y = x;
        y = y * y;
        y = y + y * y;
        y -= y / 2;
        return y;
    }
}
