using System.Numerics;

namespace AutoGrad.Tests.Kernels;

/// <summary>Random inputs and tolerance comparisons shared by the kernel tests.</summary>
internal static class KernelAssert
{
    public static T[] Random<T>(int length, int seed, double scale = 1)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++) values[i] = T.CreateChecked((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>
    /// Every element within <c>relative × bound[i]</c> of the expected value; the bound is the
    /// magnitude the rounding error scales with (for a dot product, Σ|aᵢ||bᵢ|).
    /// </summary>
    public static void Close<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, ReadOnlySpan<T> bound, double relative, string context)
        where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), a = double.CreateChecked(actual[i]);
            double tolerance = relative * double.CreateChecked(bound[i]) + double.Epsilon;
            if (!(Math.Abs(e - a) <= tolerance))
                Assert.Fail($"{context}: element {i} is {a}, expected {e} (tolerance {tolerance}).");
        }
    }

    /// <summary>Every element within <c>relative × max(1, |expected|)</c> of the expected value.</summary>
    public static void Close<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double relative, string context)
        where T : IFloatingPointIeee754<T>
    {
        var bound = new T[expected.Length];
        for (int i = 0; i < bound.Length; i++) bound[i] = T.Max(T.One, T.Abs(expected[i]));
        Close(expected, actual, bound, relative, context);
    }

    /// <summary>The gap between 1 and the next representable value.</summary>
    public static double Epsilon<T>() where T : IFloatingPointIeee754<T> => double.CreateChecked(T.BitIncrement(T.One) - T.One);
}
