using System.Runtime.CompilerServices;

namespace AutoGrad.Differentiation;

/// <summary>
/// How much of a replayed loop's work a gradient keeps instead of recomputing. The generator replays a loop
/// whose iterations fill scratch arrays of their own (GMM's centred point, for each point and component) in the
/// reverse sweep, so only one iteration's values are saved at a time. Copying each iteration's arrays onto the
/// record instead costs a store and a load per element, far less than recomputing them (GMM d10's gradient
/// 46.6 → 33.3 ms): the generated code keeps them while the record is under <see cref="Bytes"/>, and replays
/// the loops it enters after that, so the saved state stays bounded.
/// </summary>
public static class ReplayBudget
{
    private static long s_bytes = 64L << 20;

    /// <summary>
    /// The size (per record, one per gradient call in flight) past which loops entered afterwards are replayed
    /// instead of kept: 64 MiB unless set. 0 replays every such loop, as earlier versions did.
    /// </summary>
    public static long Bytes
    {
        get => Volatile.Read(ref s_bytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_bytes, value);
        }
    }

    private static int s_minimumValues = 16;

    /// <summary>
    /// Iterations that fill fewer values than this are replayed: recomputing two-element arrays costs less
    /// than the calls that copy them (GMM d2's gradient ran 8% slower kept). 16 unless set; 0 keeps any.
    /// </summary>
    public static int MinimumValues
    {
        get => Volatile.Read(ref s_minimumValues);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_minimumValues, value);
        }
    }

    /// <summary>Whether the loop about to run keeps its iterations' <paramref name="valuesPerIteration"/> values on <paramref name="stack"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Keeps<T>(AdjointStack<T> stack, int valuesPerIteration) where T : unmanaged =>
        valuesPerIteration >= MinimumValues && (long)stack.Count * Unsafe.SizeOf<T>() < Bytes;
}
