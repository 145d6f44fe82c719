using AutoGrad;

double f = Losses.FGradient(1, 2, 3, 4, out var da, out var db, out var dc, out var dd);
Console.WriteLine($"f = {f}, da = {da}, db = {db}, dc = {dc}, dd = {dd}");
double[] x = [1.2, 0.8, -0.5, 2.0];
var dx = new double[x.Length];
var r = Losses.RosenbrockGradient(x, dx);
Console.WriteLine($"rosen = {r}, dx = {string.Join(", ", dx)}");

public static partial class Losses
{
    [Differentiable]
    public static double F(double a, double b, double c, double d) => Math.Pow((a + b) * (c + d), 2);

    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
        }
        return s;
    }
}
