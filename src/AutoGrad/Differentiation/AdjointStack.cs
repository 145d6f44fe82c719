using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad.Differentiation;

/// <summary>
/// A growable LIFO of values that generated gradient code pushes in its forward sweep
/// (overwritten loop-carried values, branch decisions, trip counts) and pops in its reverse
/// sweep. Instances are pooled per thread, so a gradient call allocates nothing once the
/// buffers have grown to the size a workload needs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdjointStack<T> where T : unmanaged
{
    private const int PoolCapacity = 16;

    [ThreadStatic] private static AdjointStack<T>?[]? s_pool;
    [ThreadStatic] private static int s_pooled;

    private T[] _items = new T[64];
    private int _count;

    /// <summary>Takes an empty stack from this thread's pool, or a new one when the pool is empty.</summary>
    public static AdjointStack<T> Rent()
    {
        if (s_pooled > 0)
        {
            var stack = s_pool![--s_pooled]!;
            s_pool[s_pooled] = null;
            return stack;
        }
        return new AdjointStack<T>();
    }

    /// <summary>Gives a stack back to this thread's pool; it keeps its grown buffer.</summary>
    public static void Return(AdjointStack<T> stack)
    {
        stack._count = 0;
        s_pool ??= new AdjointStack<T>?[PoolCapacity];
        if (s_pooled < PoolCapacity) s_pool[s_pooled++] = stack;
    }

    /// <summary>Removes every value, keeping the buffer.</summary>
    public void Clear() => _count = 0;

    /// <summary>The number of values on the stack.</summary>
    public int Count => _count;

    /// <summary>
    /// Puts back the values popped since the stack held <paramref name="count"/> values: pops do not
    /// erase, so they are still there as long as nothing was pushed since (checked).
    /// </summary>
    public void Rewind(int count)
    {
        if (count < _count) throw new InvalidOperationException("Values were pushed after the point to rewind to: what was popped may be overwritten.");
        _count = count;
    }

    /// <summary>Pushes a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        if (_count == _items.Length) Grow();
        _items[_count++] = value;
    }

    /// <summary>Pops the value pushed last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop() => _items[--_count];

    /// <summary>Pushes a whole span (the contents of a buffer a call is about to overwrite).</summary>
    public void PushRange(ReadOnlySpan<T> values)
    {
        while (_count + values.Length > _items.Length) Grow();
        values.CopyTo(_items.AsSpan(_count));
        _count += values.Length;
    }

    /// <summary>Pops what <see cref="PushRange"/> pushed into a span of the same length.</summary>
    public void PopRange(Span<T> destination)
    {
        _count -= destination.Length;
        _items.AsSpan(_count, destination.Length).CopyTo(destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref _items, _items.Length * 2);
}
