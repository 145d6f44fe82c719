using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>Argument checks shared by the kernels; the failures go through <see cref="ThrowHelper"/>.</summary>
internal static class Shape
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckMatrix(int length, int rows, int columns, string name)
    {
        if (rows < 0) ThrowHelper.ThrowNegativeDimension(nameof(rows));
        if (columns < 0) ThrowHelper.ThrowNegativeDimension(nameof(columns));
        if (length < (long)rows * columns) ThrowHelper.ThrowTooShort(name, (long)rows * columns, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckVector(int length, int required, string name)
    {
        if (length < required) ThrowHelper.ThrowTooShort(name, required, length);
    }
}
