namespace AutoGrad.Tape;

public static partial class TapeMath
{
    /// <summary>Records a vector made of scalars (one record, not one per element).</summary>
    /// <param name="elements">The scalars.</param>
    /// <returns>The vector.</returns>
    public static VarVector Stack(ReadOnlySpan<Var> elements) => GradientTape.Current.Stack(elements);

    /// <summary>Records the sum of scalars as one record.</summary>
    public static Var Sum(ReadOnlySpan<Var> terms) => GradientTape.Current.Sum(terms);

    /// <summary>Records the dot product of scalars with constant weights as one record.</summary>
    public static Var Dot(ReadOnlySpan<Var> a, ReadOnlySpan<double> b) => GradientTape.Current.Dot(a, b);

    /// <summary>Records the dot product of two spans of scalars as one record.</summary>
    public static Var Dot(ReadOnlySpan<Var> a, ReadOnlySpan<Var> b) => GradientTape.Current.Dot(a, b);

    /// <summary>Records the sum of the elements.</summary>
    public static Var Sum(VarVector x) => GradientTape.Current.Reduce(TensorOpKind.Sum, x);

    /// <summary>Records the sum of the squared elements.</summary>
    public static Var SumOfSquares(VarVector x) => GradientTape.Current.Reduce(TensorOpKind.SumOfSquares, x);

    /// <summary>Records the dot product of two vectors of the same length.</summary>
    public static Var Dot(VarVector a, VarVector b) => GradientTape.Current.Dot(a, b);

    /// <summary>Records <c>e^x</c> element-wise.</summary>
    public static VarVector Exp(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Exp, x);

    /// <summary>Records the natural logarithm element-wise.</summary>
    public static VarVector Log(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Log, x);

    /// <summary>Records <c>tanh x</c> element-wise.</summary>
    public static VarVector Tanh(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Tanh, x);

    /// <summary>Records the logistic function element-wise.</summary>
    public static VarVector Sigmoid(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Sigmoid, x);

    /// <summary>Records <c>max(x, 0)</c> element-wise; the derivative at 0 is taken as 0.</summary>
    public static VarVector Relu(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Relu, x);

    /// <summary>Records <c>x * x</c> element-wise.</summary>
    public static VarVector Square(VarVector x) => GradientTape.Current.Unary(TensorOpKind.Square, x);

    /// <summary>Records <c>e^x</c> element-wise.</summary>
    public static VarMatrix Exp(VarMatrix x) => Exp(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records the natural logarithm element-wise.</summary>
    public static VarMatrix Log(VarMatrix x) => Log(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records <c>tanh x</c> element-wise.</summary>
    public static VarMatrix Tanh(VarMatrix x) => Tanh(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records the logistic function element-wise.</summary>
    public static VarMatrix Sigmoid(VarMatrix x) => Sigmoid(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records <c>max(x, 0)</c> element-wise; the derivative at 0 is taken as 0.</summary>
    public static VarMatrix Relu(VarMatrix x) => Relu(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records <c>x * x</c> element-wise.</summary>
    public static VarMatrix Square(VarMatrix x) => Square(x.AsVector()).AsMatrix(x.Rows, x.Columns);

    /// <summary>Records the matrix-vector product <c>w x</c>.</summary>
    /// <param name="w">An m x n matrix.</param>
    /// <param name="x">A vector of length n.</param>
    /// <returns>A vector of length m.</returns>
    public static VarVector MatVec(VarMatrix w, VarVector x) => GradientTape.Current.MatVec(w, x);

    /// <summary>Records the matrix product <c>a b</c>.</summary>
    /// <param name="a">An m x k matrix.</param>
    /// <param name="b">A k x n matrix.</param>
    /// <returns>An m x n matrix.</returns>
    public static VarMatrix MatMul(VarMatrix a, VarMatrix b) => GradientTape.Current.MatMul(a, b);

    /// <summary>
    /// Records the product <c>a bᵀ</c>, the layout of a dense layer whose weights are stored one
    /// row per output (as in PyTorch's <c>Linear</c>): every element is a dot product of two rows.
    /// </summary>
    /// <param name="a">An m x k matrix (e.g. a batch of inputs, one per row).</param>
    /// <param name="b">An n x k matrix (e.g. weights, one row per output).</param>
    /// <returns>An m x n matrix.</returns>
    public static VarMatrix MatMulTransposed(VarMatrix a, VarMatrix b) => GradientTape.Current.MatMulTransposed(a, b);

    /// <summary>Records <paramref name="row"/> added to every row of <paramref name="a"/> (a bias).</summary>
    /// <param name="a">An m x n matrix.</param>
    /// <param name="row">A vector of length n.</param>
    /// <returns>An m x n matrix.</returns>
    public static VarMatrix AddRowVector(VarMatrix a, VarVector row) => GradientTape.Current.AddRowVector(a, row);

    /// <summary>Records the cross-entropy of <c>softmax(logits)</c> against a class label.</summary>
    /// <param name="logits">The unnormalised log-probabilities of the classes.</param>
    /// <param name="label">The index of the true class.</param>
    /// <returns><c>log Σ e^logits - logits[label]</c>.</returns>
    public static Var SoftmaxCrossEntropy(VarVector logits, int label) =>
        GradientTape.Current.SoftmaxCrossEntropy(logits.AsMatrix(1, logits.Length), [label]);

    /// <summary>Records the mean over rows of the softmax cross-entropy of each row against its label.</summary>
    /// <param name="logits">One row of class logits per sample.</param>
    /// <param name="labels">The true class of each row.</param>
    /// <returns>The mean loss.</returns>
    public static Var SoftmaxCrossEntropy(VarMatrix logits, ReadOnlySpan<int> labels) =>
        GradientTape.Current.SoftmaxCrossEntropy(logits, labels);
}
