using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Differentiation;

/// <summary>
/// What generated loops that run several iterations at once in the lanes of a <see cref="Vector256{T}"/>
/// call: loads and stores whose bounds the loop's condition has already checked, the check that a stored
/// array overlaps no other, and sums that take the lanes' terms in the order of the iterations.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>
    /// <c>source[index .. index + Vector256&lt;double&gt;.Count - 1]</c> without a bounds check: the caller has
    /// checked <c>0 &lt;= index &lt;= source.Length - Vector256&lt;double&gt;.Count</c> (a generated loop's condition does).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LoadUnchecked(ReadOnlySpan<double> source, int index) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);

    /// <inheritdoc cref="LoadUnchecked(ReadOnlySpan{double}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadUnchecked(ReadOnlySpan<float> source, int index) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index);

    /// <summary>
    /// Stores <paramref name="value"/> at <c>destination[index .. index + Vector256&lt;double&gt;.Count - 1]</c> without a
    /// bounds check: the caller has checked <c>0 &lt;= index &lt;= destination.Length - Vector256&lt;double&gt;.Count</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnchecked(Span<double> destination, int index, Vector256<double> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);

    /// <inheritdoc cref="StoreUnchecked(Span{double}, int, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnchecked(Span<float> destination, int index, Vector256<float> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);

    /// <summary>Whether the two share no element: a loop that stores into one in lanes reads the other's elements as the scalar loop would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Disjoint(ReadOnlySpan<double> stored, ReadOnlySpan<double> other) => !stored.Overlaps(other);

    /// <inheritdoc cref="Disjoint(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Disjoint(ReadOnlySpan<float> stored, ReadOnlySpan<float> other) => !stored.Overlaps(other);

    // Array overloads of the above: no span is made, so a large generated method keeps fewer locals for
    // the JIT to track (past its limit, about a thousand, it keeps the rest in memory, the scalar loops' too).

    /// <inheritdoc cref="LoadUnchecked(ReadOnlySpan{double}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LoadUnchecked(double[] source, int index) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(source), (nuint)index);

    /// <inheritdoc cref="LoadUnchecked(ReadOnlySpan{double}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadUnchecked(float[] source, int index) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(source), (nuint)index);

    /// <inheritdoc cref="StoreUnchecked(Span{double}, int, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnchecked(double[] destination, int index, Vector256<double> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(destination), (nuint)index);

    /// <inheritdoc cref="StoreUnchecked(Span{double}, int, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnchecked(float[] destination, int index, Vector256<float> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(destination), (nuint)index);

    /// <summary>Two arrays overlap only where they are the same array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Disjoint(double[] stored, double[] other) => !ReferenceEquals(stored, other);

    /// <inheritdoc cref="Disjoint(double[], double[])"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Disjoint(float[] stored, float[] other) => !ReferenceEquals(stored, other);

    /// <summary><c>(double)first, (double)(first + 1), ...</c>: each lane's index as a value, converted as the loop converts it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> DoubleIndices(int first) =>
        Vector256.Create((double)first, (double)(first + 1), (double)(first + 2), (double)(first + 3));

    /// <summary><c>(float)first, (float)(first + 1), ...</c>: each lane's index as a value, converted as the loop converts it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SingleIndices(int first) =>
        Vector256.ConvertToSingle(Vector256.Create(first) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7));

    /// <summary><c>sum + terms[0] + terms[1] + ...</c>, left to right: what the loop's <c>sum += term</c> gives over those iterations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AddInOrder(double sum, Vector256<double> terms) => sum + terms[0] + terms[1] + terms[2] + terms[3];

    /// <inheritdoc cref="AddInOrder(double, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AddInOrder(float sum, Vector256<float> terms) =>
        sum + terms[0] + terms[1] + terms[2] + terms[3] + terms[4] + terms[5] + terms[6] + terms[7];

    /// <summary><c>sum - terms[0] - terms[1] - ...</c>, left to right: what the loop's <c>sum -= term</c> gives over those iterations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SubtractInOrder(double sum, Vector256<double> terms) => sum - terms[0] - terms[1] - terms[2] - terms[3];

    /// <inheritdoc cref="SubtractInOrder(double, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SubtractInOrder(float sum, Vector256<float> terms) =>
        sum - terms[0] - terms[1] - terms[2] - terms[3] - terms[4] - terms[5] - terms[6] - terms[7];
}
