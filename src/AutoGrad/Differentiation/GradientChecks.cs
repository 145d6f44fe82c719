using System.ComponentModel;

namespace AutoGrad.Differentiation;

/// <summary>Argument checks that generated gradient code calls; kept out of line so hot paths stay small.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientChecks
{
    /// <summary>Throws when a gradient span does not have the length of its input.</summary>
    public static void SameLength(int inputLength, int gradientLength, string gradientName)
    {
        if (inputLength != gradientLength) ThrowLengthMismatch(inputLength, gradientLength, gradientName);
    }

    private static void ThrowLengthMismatch(int inputLength, int gradientLength, string gradientName) =>
        throw new ArgumentException(
            $"The gradient span has length {gradientLength} but its input has length {inputLength}.", gradientName);
}
