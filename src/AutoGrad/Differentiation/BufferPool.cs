using System.ComponentModel;

namespace AutoGrad.Differentiation;

/// <summary>
/// Exact-length arrays for generated gradient code: the local buffers a differentiable method
/// allocates with <c>new T[n]</c> and their adjoints. Pooled per thread and length, so a gradient
/// call allocates nothing once warmed up. Rented arrays are zeroed, like <c>new T[n]</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BufferPool<T> where T : unmanaged
{
    private const int PerLength = 32;

    [ThreadStatic] private static Dictionary<int, Stack<T[]>>? s_free;

    /// <summary>A zeroed array of exactly <paramref name="length"/> elements.</summary>
    public static T[] Rent(int length)
    {
        if (length == 0) return [];
        if (s_free is not null && s_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            var array = stack.Pop();
            Array.Clear(array);
            return array;
        }
        return new T[length];
    }

    /// <summary>
    /// An array of exactly <paramref name="length"/> elements holding whatever its last user left:
    /// for a gradient that a callee accumulates into and nobody reads (an argument that is not
    /// differentiated), where clearing would cost a pass over the whole array per call.
    /// </summary>
    public static T[] RentUncleared(int length)
    {
        if (length == 0) return [];
        return s_free is not null && s_free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new T[length];
    }

    /// <summary>Gives an array back to this thread's pool.</summary>
    public static void Return(T[] array)
    {
        if (array.Length == 0) return;
        s_free ??= new Dictionary<int, Stack<T[]>>();
        if (!s_free.TryGetValue(array.Length, out var stack)) s_free[array.Length] = stack = new Stack<T[]>();
        if (stack.Count < PerLength) stack.Push(array);
    }
}
