using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

public class RowKernelsTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 7 }, { 7, 17 }, { 17, 33 }, { 5, 65 }, { 2, 127 }, { 4, 129 }, { 256, 10 }, { 0, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddRowVector_matches_reference(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);

        static void Check<T>(int rows, int columns) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(rows * columns, seed: 1);
            var bias = KernelAssert.Random<T>(columns, seed: 2);
            var expected = new T[rows * columns];
            RowKernelsReference.AddRowVector<T>(x, bias, expected, rows, columns);

            RowKernels.AddRowVector<T>(x, bias, x, rows, columns);

            KernelAssert.Close<T>(expected, x, KernelAssert.Epsilon<T>(), $"{rows}x{columns} in place");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SumColumns_matches_reference(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);

        static void Check<T>(int rows, int columns) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(rows * columns, seed: 3);
            foreach (bool accumulate in new[] { false, true })
            {
                var expected = KernelAssert.Random<T>(columns, seed: 4);
                var actual = (T[])expected.Clone();
                RowKernelsReference.SumColumns<T>(x, expected, rows, columns, accumulate);

                RowKernels.SumColumns<T>(x, actual, rows, columns, accumulate);

                KernelAssert.Close<T>(expected, actual, (rows + 2) * KernelAssert.Epsilon<T>(), $"{rows}x{columns} accumulate={accumulate}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Softmax_and_log_softmax_match_reference(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);

        static void Check<T>(int rows, int columns) where T : IFloatingPointIeee754<T>
        {
            // Logits far outside exp's range: only the max shift keeps them finite.
            var x = KernelAssert.Random<T>(rows * columns, seed: 5, scale: 50);
            if (x.Length > 0) x[0] = T.CreateChecked(1000);
            double tolerance = 8 * columns * KernelAssert.Epsilon<T>();

            var expected = new T[x.Length];
            var actual = new T[x.Length];
            RowKernelsReference.LogSoftmax<T>(x, expected, rows, columns);
            RowKernels.LogSoftmax<T>(x, actual, rows, columns);
            KernelAssert.Close<T>(expected, actual, tolerance, $"log-softmax {rows}x{columns}");

            RowKernelsReference.Softmax<T>(x, expected, rows, columns);
            RowKernels.Softmax<T>(x, actual, rows, columns);
            KernelAssert.Close<T>(expected, actual, tolerance, $"softmax {rows}x{columns}");

            RowKernels.Softmax<T>(x, x, rows, columns);
            Assert.Equal(actual, x);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LogSumExp_matches_reference(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);

        static void Check<T>(int rows, int columns) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(rows * columns, seed: 6, scale: 200);
            var expected = new T[rows];
            var actual = new T[rows];
            RowKernelsReference.LogSumExp<T>(x, expected, rows, columns);

            RowKernels.LogSumExp<T>(x, actual, rows, columns);

            KernelAssert.Close<T>(expected, actual, 8 * columns * KernelAssert.Epsilon<T>(), $"{rows}x{columns}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LogSumExpPullback_matches_reference(int rows, int columns)
    {
        Check<float>(rows, columns);
        Check<double>(rows, columns);

        static void Check<T>(int rows, int columns) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(rows * columns, seed: 7, scale: 20);
            var logSumExp = new T[rows];
            RowKernelsReference.LogSumExp<T>(x, logSumExp, rows, columns);
            var dresult = KernelAssert.Random<T>(rows, seed: 8);
            var expected = KernelAssert.Random<T>(rows * columns, seed: 9);
            var actual = (T[])expected.Clone();
            RowKernelsReference.LogSumExpPullback<T>(x, logSumExp, dresult, expected, rows, columns);

            RowKernels.LogSumExpPullback<T>(x, logSumExp, dresult, actual, rows, columns);

            KernelAssert.Close<T>(expected, actual, 16 * KernelAssert.Epsilon<T>(), $"{rows}x{columns}");
        }
    }

    [Fact]
    public void LogSumExp_handles_infinities_and_empty_rows()
    {
        float[] x = [float.NegativeInfinity, float.NegativeInfinity, 1, float.PositiveInfinity];
        var result = new float[2];

        RowKernels.LogSumExp<float>(x, result, 2, 2);
        Assert.Equal([float.NegativeInfinity, float.PositiveInfinity], result);

        RowKernels.LogSumExp<float>([1, float.NaN, float.NaN, 1], result, 2, 2);
        Assert.True(float.IsNaN(result[0]) && float.IsNaN(result[1]));

        RowKernels.LogSumExp<float>(ReadOnlySpan<float>.Empty, result, 2, 0);
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity], result);
    }

    [Fact]
    public void Softmax_rows_sum_to_one()
    {
        var x = KernelAssert.Random<float>(6 * 10, seed: 7, scale: 30);

        RowKernels.Softmax<float>(x, x, 6, 10);

        for (int i = 0; i < 6; i++) Assert.Equal(1, x.AsSpan(i * 10, 10).ToArray().Sum(), 5);
    }

    [Fact]
    public void Rejects_short_spans()
    {
        var x = new float[6];
        Assert.Throws<ArgumentException>("bias", () => RowKernels.AddRowVector<float>(x, new float[2], x, 2, 3));
        Assert.Throws<ArgumentException>("y", () => RowKernels.Softmax<float>(x, new float[5], 2, 3));
        Assert.Throws<ArgumentException>("result", () => RowKernels.LogSumExp<float>(x, new float[1], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => RowKernels.SumColumns<float>(x, new float[3], -1, 3));
    }
}
