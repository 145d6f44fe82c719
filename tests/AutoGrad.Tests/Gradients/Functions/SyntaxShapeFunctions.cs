namespace AutoGrad.Tests.Gradients;

/// <summary>Extension methods that are [Differentiable], called with extension syntax (issue 8).</summary>
public static partial class VectorExtensions
{
    [Differentiable]
    public static double Squared(this double v) => v * v;

    [Differentiable]
    public static double SumOfSquares(this ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var e in v) s += e * e;
        return s;
    }
}

/// <summary>Argument shapes as people write them: parentheses, casts, named arguments, extension syntax, tuple deconstruction, generic math.</summary>
public static partial class SyntaxShapeFunctions
{
    [Differentiable]
    public static double ParenthesizedArguments(double x, double y) => Math.Sin((x)) * Math.Pow((x + y), (2.0)) + Math.Atan2(((y)), x);

    [Differentiable]
    public static double NamedArguments(double x, double y) => Math.Pow(y: 3.0, x: x) + Math.Atan2(x: y, y: x) + Math.Clamp(max: 2.0, min: -2.0, value: x * y);

    [Differentiable]
    public static double CastArguments(double x, [NoGradient] float f) => Math.Sin((double)(x)) * Math.Exp((double)f) + Math.Cos((double)x * (int)3.7);

    [Differentiable]
    public static double ExtensionCalls(double x, double[] v) => x.Squared() + (x * 2).Squared() + v.SumOfSquares() * x + ((ReadOnlySpan<double>)(v)).SumOfSquares();

    [Differentiable]
    public static double GenericMath(double x, [NoGradient] float f) => double.Sqrt(x * x + 1) * float.Tanh(f) + double.Log(x * x + 2, 3.0);

    [Differentiable]
    public static double Deconstruction(double x, double y)
    {
        var (s, c) = (Math.Sin(x), Math.Cos(y));
        (double a, double b) = (s * c, x);
        (a, b) = (b, a); // a swap: both values are read before either is written
        return a * s + b * b + c;
    }
}
