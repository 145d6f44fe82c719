namespace AutoGrad.Tests.Gradients;

/// <summary>A generated Tangent method seen through flattened inputs: returns the value, writes the directional derivative.</summary>
internal delegate double TangentOf(double[] inputs, double[] direction, out double tangent);

/// <summary>A generated HessianVectorProduct method seen through flattened inputs: returns the value, writes the gradient and H v.</summary>
internal delegate double HessianVectorOf(double[] inputs, double[] direction, double[] gradient, double[] product);

/// <summary>
/// Checks forward-mode derivatives and Hessian-vector products at several points, each along two
/// fixed pseudo-random directions: the tangent against central finite differences of the function
/// (and against the generated gradient dotted with the direction), H v against central finite
/// differences of the generated gradient, and the value and gradient that come with them.
/// </summary>
internal static class ModeCheck
{
    private const double Garbage = 12345.5;

    public static double[][] Directions(int length)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray())];
    }

    public static void VerifyTangent(Func<double[], double> f, GradientOf gradient, TangentOf tangent, params double[][] points)
    {
        Assert.True(points.Length >= 2, "check every tangent at two points or more");
        foreach (var point in points)
        {
            var g = new double[point.Length];
            gradient((double[])point.Clone(), g);
            foreach (var direction in Directions(point.Length))
            {
                var value = tangent((double[])point.Clone(), direction, out var actual);
                GradientCheck.AssertClose(f(point), value, 1e-12, "value");
                GradientCheck.AssertClose(Directional(f, point, direction), actual, GradientCheck.Tolerance, "tangent");
                GradientCheck.AssertClose(g.Select((gi, i) => gi * direction[i]).Sum(), actual, 1e-10, "tangent against the gradient");
            }
        }
    }

    public static void VerifyHessianVector(Func<double[], double> f, GradientOf gradient, HessianVectorOf hessianVector, params double[][] points)
    {
        Assert.True(points.Length >= 2, "check every Hessian-vector product at two points or more");
        foreach (var point in points)
        {
            var g = new double[point.Length];
            gradient((double[])point.Clone(), g);
            foreach (var direction in Directions(point.Length))
            {
                var actualGradient = Enumerable.Repeat(Garbage, point.Length).ToArray();
                var product = Enumerable.Repeat(Garbage, point.Length).ToArray();
                var value = hessianVector((double[])point.Clone(), direction, actualGradient, product);
                GradientCheck.AssertClose(f(point), value, 1e-12, "value");
                GradientCheck.AssertClose(g, actualGradient, 1e-12, "gradient");
                GradientCheck.AssertClose(GradientDirectional(gradient, point, direction), product, GradientCheck.Tolerance, "Hessian-vector product");
            }
        }
    }

    /// <summary>(f(x + h v) - f(x - h v)) / 2h.</summary>
    public static double Directional(Func<double[], double> f, double[] point, double[] direction, double relativeStep = 1e-6)
    {
        var h = relativeStep * Math.Max(1, point.Max(Math.Abs));
        return (f(Along(point, direction, h)) - f(Along(point, direction, -h))) / (2 * h);
    }

    /// <summary>The finite-difference derivative of the generated gradient along v: H v.</summary>
    public static double[] GradientDirectional(GradientOf gradient, double[] point, double[] direction, double relativeStep = 1e-6)
    {
        var h = relativeStep * Math.Max(1, point.Max(Math.Abs));
        var up = new double[point.Length];
        var down = new double[point.Length];
        gradient(Along(point, direction, h), up);
        gradient(Along(point, direction, -h), down);
        return [.. up.Select((u, i) => (u - down[i]) / (2 * h))];
    }

    public static double[] Along(double[] point, double[] direction, double step) =>
        [.. point.Select((p, i) => p + step * direction[i])];
}
