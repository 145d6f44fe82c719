using System.ComponentModel;

namespace AutoGrad.Differentiation;

/// <summary>
/// What a forward sweep saves for its reverse sweep: overwritten values, branch decisions, trip
/// counts, the final values the reverse sweep starts from, and the local buffers. Generated
/// <c>NameForward</c> methods fill it and <c>NameReverse</c> methods consume it in LIFO order, so
/// several forward calls (the layers of a network, nested calls) can share one record as long as
/// their reverse calls come in the opposite order. Pooled per thread: reuse allocates nothing.
/// </summary>
public sealed class ForwardRecord
{
    private const int PoolCapacity = 16;

    [ThreadStatic] private static ForwardRecord?[]? s_pool;
    [ThreadStatic] private static int s_pooled;

    private AdjointStack<double>? _doubles;
    private AdjointStack<float>? _floats;
    private AdjointStack<int>? _ints;
    private AdjointStack<long>? _longs;
    private AdjointStack<bool>? _bools;
    private Array[] _buffers = new Array[8];
    private int _bufferCount;

    /// <summary>Takes an empty record from this thread's pool, or a new one.</summary>
    public static ForwardRecord Rent()
    {
        if (s_pooled == 0) return new ForwardRecord();
        var record = s_pool![--s_pooled]!;
        s_pool[s_pooled] = null;
        return record;
    }

    /// <summary>Gives a record back to this thread's pool; it keeps its grown buffers.</summary>
    public static void Return(ForwardRecord record)
    {
        record.Clear();
        s_pool ??= new ForwardRecord?[PoolCapacity];
        if (s_pooled < PoolCapacity) s_pool[s_pooled++] = record;
    }

    /// <summary>Whether everything saved has been consumed.</summary>
    public bool IsEmpty =>
        _bufferCount == 0 && (_doubles?.Count ?? 0) == 0 && (_floats?.Count ?? 0) == 0
        && (_ints?.Count ?? 0) == 0 && (_longs?.Count ?? 0) == 0 && (_bools?.Count ?? 0) == 0;

    /// <summary>Forgets everything saved, keeping the storage; saved buffers go back to their pool.</summary>
    public void Clear()
    {
        _doubles?.Clear();
        _floats?.Clear();
        _ints?.Clear();
        _longs?.Clear();
        _bools?.Clear();
        for (int i = 0; i < _bufferCount; i++)
        {
            switch (_buffers[i])
            {
                case float[] floats: BufferPool<float>.Return(floats); break;
                case double[] doubles: BufferPool<double>.Return(doubles); break;
            }
            _buffers[i] = null!;
        }
        _bufferCount = 0;
    }

    /// <summary>
    /// Where every stack of the record stands, taken after a forward sweep so that
    /// <see cref="Rewind"/> can hand the same saved values to one more reverse sweep: the rows of a
    /// Jacobian, one forward sweep for all of them.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RecordMark Mark() => new(_doubles?.Count ?? 0, _floats?.Count ?? 0, _ints?.Count ?? 0, _longs?.Count ?? 0,
        _bools?.Count ?? 0, _bufferCount);

    /// <summary>
    /// Puts back what reverse sweeps popped since <paramref name="mark"/>. Valid only after reverse
    /// sweeps that pop and push nothing else: pops do not erase values, but a pushed value or a
    /// popped buffer (which its reverse sweep gives back to the pool) would be lost.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Rewind(RecordMark mark)
    {
        if (_bufferCount != mark.Buffers) throw new InvalidOperationException("A reverse sweep that takes buffers from the record cannot be rewound.");
        _doubles?.Rewind(mark.Doubles);
        _floats?.Rewind(mark.Floats);
        _ints?.Rewind(mark.Ints);
        _longs?.Rewind(mark.Longs);
        _bools?.Rewind(mark.Bools);
    }

    /// <summary>Saved doubles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AdjointStack<double> Doubles => _doubles ??= new AdjointStack<double>();

    /// <summary>Saved floats.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AdjointStack<float> Floats => _floats ??= new AdjointStack<float>();

    /// <summary>Saved ints: integer values and trip counts.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AdjointStack<int> Ints => _ints ??= new AdjointStack<int>();

    /// <summary>Saved longs.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AdjointStack<long> Longs => _longs ??= new AdjointStack<long>();

    /// <summary>Saved booleans: flags and branch decisions.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AdjointStack<bool> Bools => _bools ??= new AdjointStack<bool>();

    /// <summary>Saves a local buffer for the reverse sweep.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void PushBuffer(Array buffer)
    {
        if (_bufferCount == _buffers.Length) Array.Resize(ref _buffers, _buffers.Length * 2);
        _buffers[_bufferCount++] = buffer;
    }

    /// <summary>The buffer saved last.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T[] PopBuffer<T>()
    {
        var buffer = (T[])_buffers[--_bufferCount];
        _buffers[_bufferCount] = null!;
        return buffer;
    }
}

/// <summary>The heights of a <see cref="ForwardRecord"/>'s stacks at one point (<see cref="ForwardRecord.Mark"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecordMark(int Doubles, int Floats, int Ints, int Longs, int Bools, int Buffers);
