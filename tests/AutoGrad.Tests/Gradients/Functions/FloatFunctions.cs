namespace AutoGrad.Tests.Gradients;

/// <summary>Float versions: every MathF function, float overloads of Math, and casts to double and back.</summary>
public static partial class FloatFunctions
{
    [Differentiable]
    public static float Seed(float a, float b, float c, float d) => MathF.Pow((a + b) * (c + d), 2);

    [Differentiable]
    public static float Trigonometric(float x, float y) =>
        MathF.Sin(x) * MathF.Cos(y) + MathF.Tan(x * y) + MathF.Asin(x) + MathF.Acos(y) * MathF.Atan(x) + MathF.Atan2(y, x);

    [Differentiable]
    public static float HyperbolicAndLogarithms(float x, float y) =>
        MathF.Sinh(x) * MathF.Cosh(y) - MathF.Tanh(x - y) + MathF.Exp(x) + MathF.Log(y) + MathF.Log(x, y) + MathF.Log10(x * y) - MathF.Log2(x + y);

    [Differentiable]
    public static float RootsAndPowers(float x, float y) =>
        MathF.Sqrt(x * y) + MathF.Cbrt(x - y) + MathF.Pow(x, 3) - MathF.Pow(y, 0.5f) + MathF.Pow(x, y);

    [Differentiable]
    public static float NonSmooth(float x, float y)
    {
        float bounded = Math.Clamp(x * y, -1f, 1f);
        float kinks = MathF.Abs(x) * MathF.Max(x, y) + MathF.Min(x, y) + bounded;
        float steps = x * MathF.Sign(y) + y * MathF.Floor(x) + MathF.Ceiling(x) * MathF.Round(y) + MathF.Truncate(x * y) * x;
        return kinks + steps + MathF.FusedMultiplyAdd(x, y, x);
    }

    /// <summary>A float method that widens to double in the middle.</summary>
    [Differentiable]
    public static float DoubleInsideFloat(float x, float y)
    {
        double wide = x;
        double scaled = Math.Exp(wide) * y;
        return (float)scaled + x * y;
    }
}
