namespace AutoGrad.Tape;

/// <summary>
/// A vector recorded on the current <see cref="GradientTape"/> as one contiguous range of slots.
/// Operations on it are single tape records with vector adjoint rules; read its values and
/// adjoints with <see cref="GradientTape.Values(VarVector)"/> and <see cref="GradientTape.Adjoints(VarVector)"/>.
/// </summary>
public readonly struct VarVector
{
    internal VarVector(int start, int length, bool requiresGradient)
    {
        Start = start;
        Length = length;
        RequiresGradient = requiresGradient;
    }

    internal int Start { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>
    /// Whether adjoints flow into this vector: false for a constant (data) and for results computed
    /// from constants only, which lets their rules skip work.
    /// </summary>
    public bool RequiresGradient { get; }

    /// <summary>Records element <paramref name="index"/> as a scalar.</summary>
    /// <param name="index">The element's index.</param>
    public Var this[int index] => GradientTape.Current.Element(this, index);

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/>; records nothing.</summary>
    /// <param name="start">The first element of the view.</param>
    /// <param name="length">The number of elements.</param>
    /// <returns>A vector sharing this vector's slots.</returns>
    public VarVector Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)start, (uint)Length, nameof(start));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)(Length - start), nameof(length));
        return new VarVector(Start + start, length, RequiresGradient);
    }

    /// <summary>Views the elements as a row-major matrix; records nothing.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns; <c>rows * columns</c> must equal <see cref="Length"/>.</param>
    /// <returns>A matrix sharing this vector's slots.</returns>
    public VarMatrix AsMatrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != Length)
            throw new ArgumentException($"A {rows}x{columns} matrix does not have {Length} elements.", nameof(columns));
        return new VarMatrix(Start, rows, columns, RequiresGradient);
    }

    /// <summary>Records the element-wise sum.</summary>
    public static VarVector operator +(VarVector a, VarVector b) => GradientTape.Current.Binary(TensorOpKind.Add, a, b);

    /// <summary>Records the element-wise difference.</summary>
    public static VarVector operator -(VarVector a, VarVector b) => GradientTape.Current.Binary(TensorOpKind.Subtract, a, b);

    /// <summary>Records the element-wise (Hadamard) product.</summary>
    public static VarVector operator *(VarVector a, VarVector b) => GradientTape.Current.Binary(TensorOpKind.Multiply, a, b);

    /// <summary>Records the vector scaled by a constant.</summary>
    public static VarVector operator *(VarVector a, double b) => GradientTape.Current.Scale(a, b);

    /// <summary>Records the vector scaled by a constant.</summary>
    public static VarVector operator *(double a, VarVector b) => GradientTape.Current.Scale(b, a);

    /// <summary>Records the vector scaled by a scalar.</summary>
    public static VarVector operator *(VarVector a, Var b) => GradientTape.Current.Scale(a, b);

    /// <summary>Records the vector scaled by a scalar.</summary>
    public static VarVector operator *(Var a, VarVector b) => GradientTape.Current.Scale(b, a);

    /// <summary>Records the element-wise negation.</summary>
    public static VarVector operator -(VarVector a) => GradientTape.Current.Scale(a, -1);
}
