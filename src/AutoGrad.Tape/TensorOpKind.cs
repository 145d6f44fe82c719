namespace AutoGrad.Tape;

/// <summary>The vector and matrix records of a <see cref="GradientTape"/>; each has one adjoint rule.</summary>
internal enum TensorOpKind : byte
{
    /// <summary>A variable or constant vector: no rule, the reverse sweep skips its slots.</summary>
    Input,
    /// <summary>A vector stacked from scalars, whose slots are in the auxiliary indices.</summary>
    Gather,
    /// <summary>A scalar weighted sum of scalars: auxiliary indices and weights.</summary>
    LinearCombination,
    Add,
    Subtract,
    Multiply,
    Scale,
    /// <summary>A vector times a recorded scalar, whose slot is B.</summary>
    ScaleByVariable,
    Exp,
    Log,
    Tanh,
    Sigmoid,
    Relu,
    Square,
    Sum,
    Dot,
    SumOfSquares,
    MatVec,
    MatMul,
    MatMulTransposed,
    AddRowVector,
    SoftmaxCrossEntropy,
}
