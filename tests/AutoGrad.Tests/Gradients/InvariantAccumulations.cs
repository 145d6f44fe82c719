using I = AutoGrad.Tests.Gradients.InvariantAccumulationFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>Loop-invariant gradient elements summed in a local (see <see cref="InvariantAccumulationFunctions"/>).</summary>
public class InvariantAccumulations
{
    [Fact]
    public void Triangular_product_matches_finite_differences()
    {
        // d = 4: 6 lower-triangle factors, then the 4 entries of x.
        GradientCheck.Verify(
            p => I.TriangularNorm(p[..6], p[6..]),
            (p, g) => I.TriangularNormGradient(p[..6], p[6..], g.AsSpan(0, 6), g.AsSpan(6)),
            (p, s, g) => I.TriangularNormPullback(p[..6], p[6..], s, g.AsSpan(0, 6), g.AsSpan(6)),
            [0.6, -0.3, 1.1, 0.4, 0.9, -0.7, 0.2, 1.3, -0.4, 0.8], [-0.5, 1.2, 0.7, -0.2, 1.3, 0.8, -1.1, 0.3, 0.6, 0.1]);
    }

    [Fact]
    public void Sum_reaches_its_element_and_only_when_the_loop_ran()
    {
        double[] x = [0.5, -1.5, 2.0];
        double[] w = [0.3, -0.7];
        var dx = new double[3];
        var dw = new double[2];
        I.WeightedSquareGradient(x, w, 1, dx, dw);
        // d/dx[1] of (sum w²) x[1]² is 2 (sum w²) x[1]; the other entries get nothing.
        GradientCheck.AssertClose([0, 2 * (0.09 + 0.49) * -1.5, 0], dx, 1e-12);
        GradientCheck.AssertClose([2 * 0.3 * 2.25, 2 * -0.7 * 2.25], dw, 1e-12);

        // No weights: the loop runs no times, and x[3] (out of range) is never touched.
        dx = [7, 7, 7];
        Assert.Equal(0.0, I.WeightedSquareGradient(x, [], 3, dx, []));
        Assert.Equal([0.0, 0.0, 0.0], dx);
    }

    [Fact]
    public void Hessian_vector_product_where_the_gradient_is_exactly_zero()
    {
        // At x[1] = 0 every addition to dx[1] is exactly 0, but H v is not: forward mode over the
        // summed adjoint must add the sum's tangent whatever the sum's value.
        double[] x = [0.5, 0.0, 2.0];
        double[] w = [0.3, -0.7];
        double[] v = [0.2, 1.0, -0.4, 0.5, 0.25];
        var gx = new double[3];
        var gw = new double[2];
        var hx = new double[3];
        var hw = new double[2];
        I.WeightedSquareHessianVectorProduct(x, w, 1, v.AsSpan(0, 3), v.AsSpan(3), gx, gw, hx, hw);
        GradientCheck.AssertClose([0, 0, 0], gx, 1e-15);
        // f = (sum w²) x1²: d²f/dx1² = 2 sum w², d²f/dx1 dw = 4 w x1 = 0 at x1 = 0, d²f/dw² = 2 x1² = 0.
        GradientCheck.AssertClose([0, 2 * (0.09 + 0.49) * 1.0, 0], hx, 1e-12);
        GradientCheck.AssertClose([0, 0], hw, 1e-12);
    }
}
