using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

public class ActivationKernelsTests
{
    public static TheoryData<int> Lengths() => [0, 1, 3, 7, 8, 15, 16, 17, 33, 65, 127, 129, 1000];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Relu_matches_reference(int length)
    {
        Check<float>(length);
        Check<double>(length);

        static void Check<T>(int length) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(length, seed: length);
            var expected = new T[length];
            var actual = new T[length];
            ActivationKernelsReference.Relu<T>(x, expected);

            ActivationKernels.Relu<T>(x, actual);

            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReluBackward_matches_reference(int length)
    {
        Check<float>(length);
        Check<double>(length);

        static void Check<T>(int length) where T : IFloatingPointIeee754<T>
        {
            var x = KernelAssert.Random<T>(length, seed: length);
            var dy = KernelAssert.Random<T>(length, seed: length + 1);
            var expected = new T[length];
            ActivationKernelsReference.ReluBackward<T>(x, dy, expected);

            // In place over the incoming gradient, as a backward pass uses it.
            ActivationKernels.ReluBackward<T>(x, dy, dy);

            Assert.Equal(expected, dy);
        }
    }

    [Fact]
    public void Relu_keeps_NaN_and_masks_it_in_the_gradient()
    {
        float[] x = [float.NaN, -1, 0, 2];
        var y = new float[4];
        var dx = new float[4];

        ActivationKernels.Relu<float>(x, y);
        ActivationKernels.ReluBackward<float>(x, [5, 6, 7, 8], dx);

        Assert.Equal([float.NaN, 0, 0, 2], y);
        Assert.Equal([0, 0, 0, 8], dx);
    }

    [Fact]
    public void Rejects_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>("y", () => ActivationKernels.Relu<float>(new float[3], new float[2]));
        Assert.Throws<ArgumentException>("dy", () => ActivationKernels.ReluBackward<float>(new float[3], new float[2], new float[3]));
    }
}
