using AutoGrad;

// 1. The seed's worked example: f = ((a+b)(c+d))^2 at (1, 2, 3, 4).
double f = Examples.SeedGradient(1, 2, 3, 4, out var da, out var db, out var dc, out var dd);
Console.WriteLine($"((a+b)(c+d))^2 at (1,2,3,4): f = {f}, gradient = ({da}, {db}, {dc}, {dd})");

// 2. Gradient descent on f(x) = 2x^2 + 4x: the minimum is f(-1) = -2.
double x = 3;
const double learningRate = 0.1;
for (int step = 0; step < 100; step++)
{
    Examples.QuadraticGradient(x, out var dx);
    x -= learningRate * dx;
}
Console.WriteLine($"gradient descent on 2x^2 + 4x: x = {x:F6}, f = {Examples.Quadratic(x):F6}");

// 3. The gradient of f(x, y) = 3x^2 - 2y is (6x, -2).
Examples.PlaneGradient(2, 5, out var gx, out var gy);
Console.WriteLine($"gradient of 3x^2 - 2y at (2, 5): ({gx}, {gy})");

// 4. Least squares: fit y = w x + b to noisy points, stopping when the gradient norm falls below epsilon.
var random = new Random(42);
double[] xs = Enumerable.Range(0, 50).Select(i => i / 10.0).ToArray();
double[] ys = xs.Select(v => 1.5 * v - 0.7 + 0.05 * (random.NextDouble() - 0.5)).ToArray();
double w = 0, b = 0;
const double epsilon = 1e-8;
int iterations = 0;
double loss;
while (true)
{
    loss = Examples.SquaredErrorGradient(w, b, xs, ys, out var dw, out var dbias);
    if (Math.Sqrt(dw * dw + dbias * dbias) < epsilon || iterations == 100_000) break;
    w -= 0.05 * dw;
    b -= 0.05 * dbias;
    iterations++;
}
Console.WriteLine($"least squares: w = {w:F4}, b = {b:F4}, loss = {loss:E3} after {iterations} steps");

/// <summary>The functions AutoGrad differentiates at build time; their gradients are generated next to them.</summary>
public static partial class Examples
{
    [Differentiable]
    public static double Seed(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);

    [Differentiable]
    public static double Quadratic(double x) => 2 * x * x + 4 * x;

    [Differentiable]
    public static double Plane(double x, double y) => 3 * x * x - 2 * y;

    /// <summary>Mean squared error of the line w x + b over the points (x[i], y[i]).</summary>
    [Differentiable]
    public static double SquaredError(double w, double b, [NoGradient] double[] x, [NoGradient] double[] y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double residual = w * x[i] + b - y[i];
            sum += residual * residual;
        }
        return sum / x.Length;
    }
}
