using S = AutoGrad.Tests.Gradients.SweepLaneFunctions;

namespace AutoGrad.Tests.Gradients;

/// <summary>
/// Reverse mode's loops in a vector's lanes (stores, an index that advances with the loop, counted-down reverse loops
/// whose sums add lane by lane): at every length around the lane width the value is the method's to the bit, the
/// gradient is the scalar code's up to the order of its sums, and finite differences agree; a user who passes one
/// array twice gets what the scalar loop computes.
/// </summary>
public class SweepLaneLoops
{
    private static readonly int[] s_dimensions = [.. Enumerable.Range(0, 22), 100, 1001];

    private static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5)];
    }

    [Fact]
    public void Triangular_norms_give_the_methods_value_and_the_scalar_codes_gradient()
    {
        const int n = 3;
        foreach (var d in s_dimensions)
        {
            double[] factors = Random(d * (d + 1) / 2, d), x = Random(n * d, d + 1000);
            double[] dFactors = new double[factors.Length], dx = new double[x.Length];
            var value = S.TriangularNormsGradient(factors, x, d, n, dFactors, dx);
            Assert.True(BitConverter.DoubleToInt64Bits(S.TriangularNorms(factors, x, d, n)) == BitConverter.DoubleToInt64Bits(value),
                $"d = {d}: the gradient's value {value:R} is not the method's");

            // NameHessianVectorProduct differentiates the scalar code (the lanes come after): its gradient is the scalar one.
            double[] scalarFactors = new double[factors.Length], scalarX = new double[x.Length];
            S.TriangularNormsHessianVectorProduct(factors, x, d, n, new double[factors.Length], new double[x.Length],
                scalarFactors, scalarX, new double[factors.Length], new double[x.Length]);
            GradientCheck.AssertClose([.. scalarFactors, .. scalarX], [.. dFactors, .. dx], 1e-12, $"gradient at d = {d}");
        }
        foreach (var d in new[] { 3, 6, 9 })
        {
            GradientCheck.Verify(p => S.TriangularNorms(p[..(d * (d + 1) / 2)], p[(d * (d + 1) / 2)..], d, 2),
                (p, g) => S.TriangularNormsGradient(p[..(d * (d + 1) / 2)], p[(d * (d + 1) / 2)..], d, 2, g.AsSpan(0, d * (d + 1) / 2), g.AsSpan(d * (d + 1) / 2)),
                (p, seed, g) => S.TriangularNormsPullback(p[..(d * (d + 1) / 2)], p[(d * (d + 1) / 2)..], d, 2, seed, g.AsSpan(0, d * (d + 1) / 2), g.AsSpan(d * (d + 1) / 2)),
                Random(d * (d + 1) / 2 + 2 * d, d), Random(d * (d + 1) / 2 + 2 * d, d + 1));
        }
    }

    [Fact]
    public void Blend_in_place_computes_what_the_scalar_loop_computes()
    {
        foreach (var length in s_dimensions)
        {
            var x = Random(length, length);
            var expected = (double[])x.Clone();
            S.Blend(expected, 0.7, expected);

            // The output is the input: every iteration reads the element the one before it wrote, so lanes would differ.
            var inPlace = (double[])x.Clone();
            S.BlendPullback(inPlace, 0.7, inPlace, new double[length], new double[length], ref Unused);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), inPlace.Select(BitConverter.DoubleToInt64Bits));

            var y = new double[length];
            S.BlendPullback(x, 0.7, y, new double[length], new double[length], ref Unused);
            var scalar = new double[length];
            S.Blend(x, 0.7, scalar);
            Assert.Equal(scalar.Select(BitConverter.DoubleToInt64Bits), y.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Blend_rows_in_place_computes_what_the_scalar_loop_computes()
    {
        const int rows = 3;
        foreach (var width in s_dimensions)
        {
            var x = Random(width * rows, width);
            var expected = (double[])x.Clone();
            S.BlendRows(expected, 0.7, width, rows, expected);

            // The check that y shares no memory with x, made before the loop over the rows, still sends the lanes' rows to the scalar loop.
            var inPlace = (double[])x.Clone();
            S.BlendRowsPullback(inPlace, 0.7, width, rows, inPlace, new double[width * rows], new double[width * rows], ref Unused);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), inPlace.Select(BitConverter.DoubleToInt64Bits));

            var y = new double[width * rows];
            S.BlendRowsPullback(x, 0.7, width, rows, y, new double[width * rows], new double[width * rows], ref Unused);
            var scalar = new double[width * rows];
            S.BlendRows(x, 0.7, width, rows, scalar);
            Assert.Equal(scalar.Select(BitConverter.DoubleToInt64Bits), y.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    private static double Unused;
}
