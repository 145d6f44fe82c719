namespace AutoGrad.Tape;

/// <summary>
/// A row-major matrix recorded on the current <see cref="GradientTape"/> as one contiguous range
/// of slots. Element-wise operations work on <see cref="AsVector"/>; products and row broadcasts
/// are in <see cref="TapeMath"/>.
/// </summary>
public readonly struct VarMatrix
{
    internal VarMatrix(int start, int rows, int columns, bool requiresGradient)
    {
        Start = start;
        Rows = rows;
        Columns = columns;
        RequiresGradient = requiresGradient;
    }

    internal int Start { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The number of elements, <c>Rows * Columns</c>.</summary>
    public int Length => Rows * Columns;

    /// <summary>Whether adjoints flow into this matrix (see <see cref="VarVector.RequiresGradient"/>).</summary>
    public bool RequiresGradient { get; }

    /// <summary>Views the elements in row-major order as a vector; records nothing.</summary>
    /// <returns>A vector sharing this matrix's slots.</returns>
    public VarVector AsVector() => new(Start, Length, RequiresGradient);

    /// <summary>Views row <paramref name="row"/> as a vector; records nothing.</summary>
    /// <param name="row">The row's index.</param>
    /// <returns>A vector sharing the row's slots.</returns>
    public VarVector Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        return new VarVector(Start + row * Columns, Columns, RequiresGradient);
    }

    /// <summary>Records the element-wise sum of two matrices of the same shape.</summary>
    public static VarMatrix operator +(VarMatrix a, VarMatrix b)
    {
        ThrowIfShapesDiffer(a, b);
        return (a.AsVector() + b.AsVector()).AsMatrix(a.Rows, a.Columns);
    }

    /// <summary>Records the element-wise difference of two matrices of the same shape.</summary>
    public static VarMatrix operator -(VarMatrix a, VarMatrix b)
    {
        ThrowIfShapesDiffer(a, b);
        return (a.AsVector() - b.AsVector()).AsMatrix(a.Rows, a.Columns);
    }

    private static void ThrowIfShapesDiffer(VarMatrix a, VarMatrix b)
    {
        if (a.Rows != b.Rows || a.Columns != b.Columns)
            throw new ArgumentException($"A {a.Rows}x{a.Columns} and a {b.Rows}x{b.Columns} matrix differ in shape.", nameof(b));
    }
}
