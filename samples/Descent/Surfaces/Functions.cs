using AutoGrad;

namespace Descent;

/// <summary>The loss surfaces, as plain differentiable C#; the generator writes <c>{Name}Gradient</c> beside each.</summary>
public static partial class Functions
{
    /// <summary>An elongated quadratic bowl, x² + 5y²: one minimum at the origin, steep across and shallow along.</summary>
    [Differentiable]
    public static double Bowl(double x, double y) => x * x + 5 * y * y;

    /// <summary>Rosenbrock's banana, (1 − x)² + 100 (y − x²)²: a curved flat valley with its minimum at (1, 1).</summary>
    [Differentiable]
    public static double Rosenbrock(double x, double y)
    {
        double a = 1 - x;
        double b = y - x * x;
        return a * a + 100 * b * b;
    }

    /// <summary>Himmelblau's function, (x² + y − 11)² + (x + y² − 7)²: four minima of value 0, one in each quadrant.</summary>
    [Differentiable]
    public static double Himmelblau(double x, double y)
    {
        double a = x * x + y - 11;
        double b = x + y * y - 7;
        return a * a + b * b;
    }
}
