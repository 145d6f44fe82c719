using O = AutoGrad.Tests.Gradients.OutlinedFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Reverse loop bodies moved into functions of their own (see <see cref="OutlinedFunctions"/>) against finite differences.</summary>
public class Outlined
{
    private const int D = 5;

    private delegate double Function(double[] w, double[] x, double scale, double shift, int d);

    private delegate double Gradient(double[] w, double[] x, double scale, double shift, int d, Span<double> dw, Span<double> dx, out double dscale, out double dshift);

    private delegate void Pullback(double[] w, double[] x, double scale, double shift, int d, double seed, Span<double> dw, Span<double> dx, ref double dscale, ref double dshift);

    // w (5), x (3 rows of 5), scale, shift.
    private static readonly double[][] Points =
    [
        [0.6, -0.3, 1.1, 0.4, -0.8, 0.4, 0.9, -0.7, 0.2, 1.3, -0.4, 0.5, 0.1, -0.9, 0.7, 0.3, -0.6, 1.2, 0.8, -0.2, 0.45],
        [-0.5, 1.2, 0.7, -0.2, 0.3, 1.3, 0.8, -1.1, 0.3, 0.6, 0.2, -0.4, 0.9, 0.5, -0.7, 0.1, 0.6, -0.3, 0.4, 0.7, -0.35],
    ];

    private static void Verify(Function f, Gradient gradient, Pullback pullback) => GradientCheck.Verify(
        p => f(p[..D], p[D..^2], p[^2], p[^1], D),
        (p, g) =>
        {
            double value = gradient(p[..D], p[D..^2], p[^2], p[^1], D, g.AsSpan(0, D), g.AsSpan(D, g.Length - D - 2), out double dscale, out double dshift);
            g[^2] = dscale;
            g[^1] = dshift;
            return value;
        },
        (p, s, g) => pullback(p[..D], p[D..^2], p[^2], p[^1], D, s, g.AsSpan(0, D), g.AsSpan(D, g.Length - D - 2), ref g[^2], ref g[^1]),
        Points);

    [Fact]
    public void Rows() => Verify(O.Rows, O.RowsGradient, O.RowsPullback);

    [Fact]
    public void CarriedRows() => Verify(O.CarriedRows, O.CarriedRowsGradient, O.CarriedRowsPullback);

    [Fact]
    public void CheckpointedThenRows() => Verify(O.CheckpointedThenRows, O.CheckpointedThenRowsGradient, O.CheckpointedThenRowsPullback);

    /// <summary>One variable for both scalar gradients: the function adds to it through both references, as the caller passed them.</summary>
    [Theory]
    [InlineData(nameof(O.Rows))]
    [InlineData(nameof(O.CarriedRows))]
    public void One_variable_for_two_scalar_gradients(string method)
    {
        Pullback pullback = method == nameof(O.Rows) ? O.RowsPullback : O.CarriedRowsPullback;
        var p = Points[0];
        double[] w = p[..D], x = p[D..^2];
        double dscale = 0.25, dshift = -0.5;
        pullback(w, x, p[^2], p[^1], D, 0.75, new double[D], new double[x.Length], ref dscale, ref dshift);
        double both = 0.25 - 0.5;
        pullback(w, x, p[^2], p[^1], D, 0.75, new double[D], new double[x.Length], ref both, ref both);
        Assert.Equal(dscale + dshift, both, 1e-12);
    }
}
