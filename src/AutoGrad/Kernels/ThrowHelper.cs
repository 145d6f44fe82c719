using System.Diagnostics.CodeAnalysis;

namespace AutoGrad.Kernels;

/// <summary>Validation failures, kept out of line so the kernels' hot paths stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowNegativeDimension(string name) =>
        throw new ArgumentOutOfRangeException(name, "A matrix dimension cannot be negative.");

    [DoesNotReturn]
    public static void ThrowTooShort(string name, long required, int actual) =>
        throw new ArgumentException($"The span holds {actual} elements but needs {required}.", name);

    [DoesNotReturn]
    public static void ThrowLengthMismatch(string name) =>
        throw new ArgumentException("The spans must have the same length.", name);

    [DoesNotReturn]
    public static void ThrowOverlap(string name) =>
        throw new ArgumentException("The output must not overlap an input.", name);
}
