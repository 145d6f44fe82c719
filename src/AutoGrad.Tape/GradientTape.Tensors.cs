using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace AutoGrad.Tape;

public sealed partial class GradientTape
{
    private TensorRecord[] _ops;
    private int _opCount;

    // Operands of variable arity: scalar parents of a gather or a weighted sum (with their
    // weights), and class labels.
    private int[] _auxIndices;
    private double[] _auxWeights;
    private int _auxCount;

    // Temporaries of the vector adjoint rules, so that the rules allocate nothing.
    private double[] _scratch;

    /// <summary>Records a variable vector (an input to differentiate with respect to).</summary>
    /// <param name="values">The elements; copied onto the tape.</param>
    /// <returns>The vector.</returns>
    public VarVector Variable(ReadOnlySpan<double> values) => Input(values, requiresGradient: true);

    /// <summary>Records a constant vector (data): rules skip computing its adjoint.</summary>
    /// <param name="values">The elements; copied onto the tape.</param>
    /// <returns>The vector.</returns>
    public VarVector Constant(ReadOnlySpan<double> values) => Input(values, requiresGradient: false);

    /// <summary>Records a variable row-major matrix.</summary>
    /// <param name="values">The elements in row-major order; copied onto the tape.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <returns>The matrix.</returns>
    public VarMatrix Variable(ReadOnlySpan<double> values, int rows, int columns)
    {
        ThrowIfNotShape(values.Length, rows, columns);
        return Input(values, requiresGradient: true).AsMatrix(rows, columns);
    }

    /// <summary>Records a constant row-major matrix (data): rules skip computing its adjoint.</summary>
    /// <param name="values">The elements in row-major order; copied onto the tape.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <returns>The matrix.</returns>
    public VarMatrix Constant(ReadOnlySpan<double> values, int rows, int columns)
    {
        ThrowIfNotShape(values.Length, rows, columns);
        return Input(values, requiresGradient: false).AsMatrix(rows, columns);
    }

    /// <summary>The values of a vector recorded on this tape.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>A view of the tape's buffer, valid until the tape grows or is reset.</returns>
    public ReadOnlySpan<double> Values(VarVector vector) => _values.AsSpan(vector.Start, vector.Length);

    /// <summary>The values of a matrix recorded on this tape, in row-major order.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A view of the tape's buffer, valid until the tape grows or is reset.</returns>
    public ReadOnlySpan<double> Values(VarMatrix matrix) => _values.AsSpan(matrix.Start, matrix.Length);

    /// <summary>The adjoints of a vector after the last <see cref="Backward(Var)"/>.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>A view of the tape's buffer, valid until the next sweep, growth or reset.</returns>
    public ReadOnlySpan<double> Adjoints(VarVector vector) => _adjoints.AsSpan(vector.Start, vector.Length);

    /// <summary>The adjoints of a matrix after the last <see cref="Backward(Var)"/>, in row-major order.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <returns>A view of the tape's buffer, valid until the next sweep, growth or reset.</returns>
    public ReadOnlySpan<double> Adjoints(VarMatrix matrix) => _adjoints.AsSpan(matrix.Start, matrix.Length);

    private VarVector Input(ReadOnlySpan<double> values, bool requiresGradient)
    {
        ref TensorRecord record = ref Append(TensorOpKind.Input, values.Length);
        values.CopyTo(_values.AsSpan(record.Output, values.Length));
        return new VarVector(record.Output, values.Length, requiresGradient);
    }

    internal Var Element(VarVector vector, int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)vector.Length, nameof(index));
        int slot = vector.Start + index;
        return Push(_values[slot], slot, 1);
    }

    internal VarVector Stack(ReadOnlySpan<Var> elements)
    {
        int aux = AppendAux(elements.Length);
        ref TensorRecord record = ref Append(TensorOpKind.Gather, elements.Length);
        record.A = aux;
        Span<double> output = _values.AsSpan(record.Output, elements.Length);
        Span<int> parents = _auxIndices.AsSpan(aux, elements.Length);
        for (int i = 0; i < elements.Length; i++)
        {
            output[i] = elements[i].Value;
            parents[i] = elements[i].Index;
        }
        return new VarVector(record.Output, elements.Length, requiresGradient: true);
    }

    internal Var Sum(ReadOnlySpan<Var> terms)
    {
        int aux = AppendAux(terms.Length);
        double sum = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            sum += terms[i].Value;
            _auxIndices[aux + i] = terms[i].Index;
            _auxWeights[aux + i] = 1;
        }
        return LinearCombination(sum, aux, terms.Length);
    }

    internal Var Dot(ReadOnlySpan<Var> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) ThrowLengthMismatch(nameof(b));
        int aux = AppendAux(a.Length);
        for (int i = 0; i < a.Length; i++) _auxIndices[aux + i] = a[i].Index;
        b.CopyTo(_auxWeights.AsSpan(aux, b.Length));
        double dot = 0;
        for (int i = 0; i < a.Length; i++) dot += a[i].Value * b[i];
        return LinearCombination(dot, aux, a.Length);
    }

    internal Var Dot(ReadOnlySpan<Var> a, ReadOnlySpan<Var> b)
    {
        if (a.Length != b.Length) ThrowLengthMismatch(nameof(b));
        int n = a.Length;
        int aux = AppendAux(2 * n);
        double dot = 0;
        for (int i = 0; i < n; i++)
        {
            dot += a[i].Value * b[i].Value;
            _auxIndices[aux + i] = a[i].Index;
            _auxWeights[aux + i] = b[i].Value;
            _auxIndices[aux + n + i] = b[i].Index;
            _auxWeights[aux + n + i] = a[i].Value;
        }
        return LinearCombination(dot, aux, 2 * n);
    }

    private Var LinearCombination(double value, int aux, int count)
    {
        ref TensorRecord record = ref Append(TensorOpKind.LinearCombination, 1);
        record.A = aux;
        record.N = count;
        return new Var(value, record.Output);
    }

    internal VarVector Binary(TensorOpKind kind, VarVector a, VarVector b)
    {
        if (a.Length != b.Length) ThrowLengthMismatch(nameof(b));
        ref TensorRecord record = ref Append(kind, a.Length, a.Start, a.RequiresGradient, b.Start, b.RequiresGradient);
        ReadOnlySpan<double> x = Values(a), y = Values(b);
        Span<double> output = _values.AsSpan(record.Output, a.Length);
        switch (kind)
        {
            case TensorOpKind.Add: TensorPrimitives.Add(x, y, output); break;
            case TensorOpKind.Subtract: TensorPrimitives.Subtract(x, y, output); break;
            case TensorOpKind.Multiply: TensorPrimitives.Multiply(x, y, output); break;
            default: throw new UnreachableException();
        }
        return new VarVector(record.Output, a.Length, a.RequiresGradient || b.RequiresGradient);
    }

    internal VarVector Scale(VarVector a, double factor)
    {
        ref TensorRecord record = ref Append(TensorOpKind.Scale, a.Length, a.Start, a.RequiresGradient);
        record.Scalar = factor;
        TensorPrimitives.Multiply(Values(a), factor, _values.AsSpan(record.Output, a.Length));
        return new VarVector(record.Output, a.Length, a.RequiresGradient);
    }

    internal VarVector Scale(VarVector a, Var factor)
    {
        if (factor.IsConstant) return Scale(a, factor.Value);
        ref TensorRecord record = ref Append(TensorOpKind.ScaleByVariable, a.Length, a.Start, a.RequiresGradient, factor.Index, true);
        TensorPrimitives.Multiply(Values(a), factor.Value, _values.AsSpan(record.Output, a.Length));
        record.Scalar = factor.Value;
        return new VarVector(record.Output, a.Length, requiresGradient: true);
    }

    internal VarVector Unary(TensorOpKind kind, VarVector a)
    {
        ref TensorRecord record = ref Append(kind, a.Length, a.Start, a.RequiresGradient);
        ReadOnlySpan<double> x = Values(a);
        Span<double> output = _values.AsSpan(record.Output, a.Length);
        switch (kind)
        {
            case TensorOpKind.Exp: TensorPrimitives.Exp(x, output); break;
            case TensorOpKind.Log: TensorPrimitives.Log(x, output); break;
            case TensorOpKind.Tanh: TensorPrimitives.Tanh(x, output); break;
            case TensorOpKind.Sigmoid: TensorPrimitives.Sigmoid(x, output); break;
            case TensorOpKind.Relu: TensorPrimitives.Max(x, 0.0, output); break;
            case TensorOpKind.Square: TensorPrimitives.Multiply(x, x, output); break;
            default: throw new UnreachableException();
        }
        return new VarVector(record.Output, a.Length, a.RequiresGradient);
    }

    internal Var Reduce(TensorOpKind kind, VarVector a)
    {
        ref TensorRecord record = ref Append(kind, 1, a.Start, a.RequiresGradient);
        record.N = a.Length;
        double value = kind switch
        {
            TensorOpKind.Sum => TensorPrimitives.Sum(Values(a)),
            TensorOpKind.SumOfSquares => TensorPrimitives.SumOfSquares(Values(a)),
            _ => throw new UnreachableException(),
        };
        return new Var(value, record.Output);
    }

    internal Var Dot(VarVector a, VarVector b)
    {
        if (a.Length != b.Length) ThrowLengthMismatch(nameof(b));
        ref TensorRecord record = ref Append(TensorOpKind.Dot, 1, a.Start, a.RequiresGradient, b.Start, b.RequiresGradient);
        record.N = a.Length;
        return new Var(TensorPrimitives.Dot(Values(a), Values(b)), record.Output);
    }

    internal VarVector MatVec(VarMatrix w, VarVector x)
    {
        if (w.Columns != x.Length)
            throw new ArgumentException($"A {w.Rows}x{w.Columns} matrix cannot multiply a vector of length {x.Length}.", nameof(x));
        ref TensorRecord record = ref Append(TensorOpKind.MatVec, w.Rows, w.Start, w.RequiresGradient, x.Start, x.RequiresGradient);
        record.M = w.Rows;
        record.N = w.Columns;
        ReadOnlySpan<double> matrix = Values(w), vector = Values(x);
        Span<double> output = _values.AsSpan(record.Output, w.Rows);
        for (int i = 0; i < output.Length; i++) output[i] = TensorPrimitives.Dot(matrix.Slice(i * w.Columns, w.Columns), vector);
        return new VarVector(record.Output, w.Rows, w.RequiresGradient || x.RequiresGradient);
    }

    internal VarMatrix MatMul(VarMatrix a, VarMatrix b)
    {
        if (a.Columns != b.Rows)
            throw new ArgumentException($"A {a.Rows}x{a.Columns} matrix cannot multiply a {b.Rows}x{b.Columns} matrix.", nameof(b));
        int m = a.Rows, k = a.Columns, n = b.Columns;
        ref TensorRecord record = ref Append(TensorOpKind.MatMul, m * n, a.Start, a.RequiresGradient, b.Start, b.RequiresGradient);
        record.M = m;
        record.N = n;
        record.K = k;
        ReadOnlySpan<double> left = Values(a), right = Values(b);
        Span<double> output = _values.AsSpan(record.Output, m * n);
        // Row i of the product is a sum of rows of b scaled by row i of a: contiguous axpys.
        for (int i = 0; i < m; i++)
        {
            Span<double> row = output.Slice(i * n, n);
            row.Clear();
            for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(right.Slice(p * n, n), left[i * k + p], row, row);
        }
        return new VarMatrix(record.Output, m, n, a.RequiresGradient || b.RequiresGradient);
    }

    internal VarMatrix MatMulTransposed(VarMatrix a, VarMatrix b)
    {
        if (a.Columns != b.Columns)
            throw new ArgumentException($"A {a.Rows}x{a.Columns} matrix cannot multiply the transpose of a {b.Rows}x{b.Columns} matrix.", nameof(b));
        int m = a.Rows, k = a.Columns, n = b.Rows;
        ref TensorRecord record = ref Append(TensorOpKind.MatMulTransposed, m * n, a.Start, a.RequiresGradient, b.Start, b.RequiresGradient);
        record.M = m;
        record.N = n;
        record.K = k;
        ReadOnlySpan<double> left = Values(a), right = Values(b);
        Span<double> output = _values.AsSpan(record.Output, m * n);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> leftRow = left.Slice(i * k, k);
            for (int j = 0; j < n; j++) output[i * n + j] = TensorPrimitives.Dot(leftRow, right.Slice(j * k, k));
        }
        return new VarMatrix(record.Output, m, n, a.RequiresGradient || b.RequiresGradient);
    }

    internal VarMatrix AddRowVector(VarMatrix a, VarVector row)
    {
        if (a.Columns != row.Length)
            throw new ArgumentException($"A row of length {row.Length} cannot be added to a {a.Rows}x{a.Columns} matrix.", nameof(row));
        ref TensorRecord record = ref Append(TensorOpKind.AddRowVector, a.Length, a.Start, a.RequiresGradient, row.Start, row.RequiresGradient);
        record.M = a.Rows;
        record.N = a.Columns;
        ReadOnlySpan<double> matrix = Values(a), vector = Values(row);
        Span<double> output = _values.AsSpan(record.Output, a.Length);
        for (int i = 0; i < a.Rows; i++)
        {
            int offset = i * a.Columns;
            TensorPrimitives.Add(matrix.Slice(offset, a.Columns), vector, output.Slice(offset, a.Columns));
        }
        return new VarMatrix(record.Output, a.Rows, a.Columns, a.RequiresGradient || row.RequiresGradient);
    }

    internal Var SoftmaxCrossEntropy(VarMatrix logits, ReadOnlySpan<int> labels)
    {
        if (labels.Length != logits.Rows) ThrowLengthMismatch(nameof(labels));
        if (logits.Rows == 0) throw new ArgumentException("The logits have no rows.", nameof(logits));
        foreach (int label in labels) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)label, (uint)logits.Columns, nameof(labels));

        int aux = AppendAux(labels.Length);
        labels.CopyTo(_auxIndices.AsSpan(aux, labels.Length));
        ref TensorRecord record = ref Append(TensorOpKind.SoftmaxCrossEntropy, 1, logits.Start, logits.RequiresGradient, aux, false);
        record.M = logits.Rows;
        record.N = logits.Columns;

        ReadOnlySpan<double> values = Values(logits);
        Span<double> shifted = Scratch(logits.Columns);
        double total = 0;
        for (int i = 0; i < logits.Rows; i++)
        {
            ReadOnlySpan<double> row = values.Slice(i * logits.Columns, logits.Columns);
            // log-sum-exp shifted by the row's maximum, so that exp cannot overflow.
            double max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            total += Math.Log(TensorPrimitives.Sum(shifted)) + max - row[labels[i]];
        }
        return new Var(total / logits.Rows, record.Output);
    }

    private void BackwardTensor(in TensorRecord record)
    {
        Span<double> adjoints = _adjoints;
        ReadOnlySpan<double> values = _values;
        ReadOnlySpan<double> outputAdjoint = adjoints.Slice(record.Output, record.Length);
        ReadOnlySpan<double> output = values.Slice(record.Output, record.Length);
        int n = record.Length;

        switch (record.Kind)
        {
            case TensorOpKind.Input:
                break;

            case TensorOpKind.Gather:
                for (int i = 0; i < n; i++) adjoints[_auxIndices[record.A + i]] += outputAdjoint[i];
                break;

            case TensorOpKind.LinearCombination:
            {
                double seed = outputAdjoint[0];
                ReadOnlySpan<int> parents = _auxIndices.AsSpan(record.A, record.N);
                ReadOnlySpan<double> weights = _auxWeights.AsSpan(record.A, record.N);
                for (int i = 0; i < parents.Length; i++) adjoints[parents[i]] += seed * weights[i];
                break;
            }

            case TensorOpKind.Add:
                if (record.NeedsA) Accumulate(adjoints.Slice(record.A, n), outputAdjoint);
                if (record.NeedsB) Accumulate(adjoints.Slice(record.B, n), outputAdjoint);
                break;

            case TensorOpKind.Subtract:
                if (record.NeedsA) Accumulate(adjoints.Slice(record.A, n), outputAdjoint);
                if (record.NeedsB)
                {
                    Span<double> db = adjoints.Slice(record.B, n);
                    TensorPrimitives.Subtract(db, outputAdjoint, db);
                }
                break;

            case TensorOpKind.Multiply:
                if (record.NeedsA) AccumulateProduct(adjoints.Slice(record.A, n), outputAdjoint, values.Slice(record.B, n));
                if (record.NeedsB) AccumulateProduct(adjoints.Slice(record.B, n), outputAdjoint, values.Slice(record.A, n));
                break;

            case TensorOpKind.Scale:
                if (record.NeedsA) AccumulateScaled(adjoints.Slice(record.A, n), outputAdjoint, record.Scalar);
                break;

            case TensorOpKind.ScaleByVariable:
                if (record.NeedsA) AccumulateScaled(adjoints.Slice(record.A, n), outputAdjoint, record.Scalar);
                adjoints[record.B] += TensorPrimitives.Dot(outputAdjoint, values.Slice(record.A, n));
                break;

            case TensorOpKind.Exp:
                if (record.NeedsA) AccumulateProduct(adjoints.Slice(record.A, n), outputAdjoint, output);
                break;

            case TensorOpKind.Log:
                if (record.NeedsA)
                {
                    Span<double> derivative = Scratch(n);
                    TensorPrimitives.Divide(outputAdjoint, values.Slice(record.A, n), derivative);
                    Accumulate(adjoints.Slice(record.A, n), derivative);
                }
                break;

            case TensorOpKind.Tanh:
                if (record.NeedsA)
                {
                    Span<double> derivative = Scratch(n);
                    TensorPrimitives.Multiply(output, output, derivative);
                    TensorPrimitives.Subtract(1.0, derivative, derivative);
                    AccumulateProduct(adjoints.Slice(record.A, n), outputAdjoint, derivative);
                }
                break;

            case TensorOpKind.Sigmoid:
                if (record.NeedsA)
                {
                    Span<double> derivative = Scratch(n);
                    TensorPrimitives.Subtract(1.0, output, derivative);
                    TensorPrimitives.Multiply(derivative, output, derivative);
                    AccumulateProduct(adjoints.Slice(record.A, n), outputAdjoint, derivative);
                }
                break;

            case TensorOpKind.Relu:
                if (record.NeedsA) AccumulateWherePositive(adjoints.Slice(record.A, n), outputAdjoint, values.Slice(record.A, n));
                break;

            case TensorOpKind.Square:
                if (record.NeedsA)
                {
                    Span<double> derivative = Scratch(n);
                    TensorPrimitives.Multiply(values.Slice(record.A, n), 2.0, derivative);
                    AccumulateProduct(adjoints.Slice(record.A, n), outputAdjoint, derivative);
                }
                break;

            case TensorOpKind.Sum:
                if (record.NeedsA)
                {
                    Span<double> da = adjoints.Slice(record.A, record.N);
                    TensorPrimitives.Add(da, outputAdjoint[0], da);
                }
                break;

            case TensorOpKind.SumOfSquares:
                if (record.NeedsA)
                    AccumulateScaled(adjoints.Slice(record.A, record.N), values.Slice(record.A, record.N), 2 * outputAdjoint[0]);
                break;

            case TensorOpKind.Dot:
                if (record.NeedsA)
                    AccumulateScaled(adjoints.Slice(record.A, record.N), values.Slice(record.B, record.N), outputAdjoint[0]);
                if (record.NeedsB)
                    AccumulateScaled(adjoints.Slice(record.B, record.N), values.Slice(record.A, record.N), outputAdjoint[0]);
                break;

            case TensorOpKind.MatVec:
                BackwardMatVec(in record, outputAdjoint);
                break;

            case TensorOpKind.MatMul:
                BackwardMatMul(in record, outputAdjoint);
                break;

            case TensorOpKind.MatMulTransposed:
                BackwardMatMulTransposed(in record, outputAdjoint);
                break;

            case TensorOpKind.AddRowVector:
                if (record.NeedsA) Accumulate(adjoints.Slice(record.A, n), outputAdjoint);
                if (record.NeedsB)
                {
                    Span<double> db = adjoints.Slice(record.B, record.N);
                    for (int i = 0; i < record.M; i++) Accumulate(db, outputAdjoint.Slice(i * record.N, record.N));
                }
                break;

            case TensorOpKind.SoftmaxCrossEntropy:
                if (record.NeedsA) BackwardSoftmaxCrossEntropy(in record, outputAdjoint[0]);
                break;

            default:
                throw new UnreachableException($"No adjoint rule for {record.Kind}.");
        }
    }

    private void BackwardMatVec(in TensorRecord record, ReadOnlySpan<double> outputAdjoint)
    {
        int columns = record.N;
        ReadOnlySpan<double> matrix = _values.AsSpan(record.A, record.M * columns);
        ReadOnlySpan<double> vector = _values.AsSpan(record.B, columns);
        Span<double> matrixAdjoint = _adjoints.AsSpan(record.A, record.M * columns);
        Span<double> vectorAdjoint = _adjoints.AsSpan(record.B, columns);
        for (int i = 0; i < record.M; i++)
        {
            double seed = outputAdjoint[i];
            if (record.NeedsA) AccumulateScaled(matrixAdjoint.Slice(i * columns, columns), vector, seed);
            if (record.NeedsB) AccumulateScaled(vectorAdjoint, matrix.Slice(i * columns, columns), seed);
        }
    }

    private void BackwardMatMul(in TensorRecord record, ReadOnlySpan<double> outputAdjoint)
    {
        int m = record.M, n = record.N, k = record.K;
        ReadOnlySpan<double> left = _values.AsSpan(record.A, m * k);
        ReadOnlySpan<double> right = _values.AsSpan(record.B, k * n);
        Span<double> leftAdjoint = _adjoints.AsSpan(record.A, m * k);
        Span<double> rightAdjoint = _adjoints.AsSpan(record.B, k * n);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> seedRow = outputAdjoint.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                if (record.NeedsA) leftAdjoint[i * k + p] += TensorPrimitives.Dot(seedRow, right.Slice(p * n, n));
                if (record.NeedsB) AccumulateScaled(rightAdjoint.Slice(p * n, n), seedRow, left[i * k + p]);
            }
        }
    }

    private void BackwardMatMulTransposed(in TensorRecord record, ReadOnlySpan<double> outputAdjoint)
    {
        int m = record.M, n = record.N, k = record.K;
        ReadOnlySpan<double> left = _values.AsSpan(record.A, m * k);
        ReadOnlySpan<double> right = _values.AsSpan(record.B, n * k);
        Span<double> leftAdjoint = _adjoints.AsSpan(record.A, m * k);
        Span<double> rightAdjoint = _adjoints.AsSpan(record.B, n * k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double seed = outputAdjoint[i * n + j];
                if (record.NeedsA) AccumulateScaled(leftAdjoint.Slice(i * k, k), right.Slice(j * k, k), seed);
                if (record.NeedsB) AccumulateScaled(rightAdjoint.Slice(j * k, k), left.Slice(i * k, k), seed);
            }
        }
    }

    private void BackwardSoftmaxCrossEntropy(in TensorRecord record, double seed)
    {
        int rows = record.M, columns = record.N;
        ReadOnlySpan<double> logits = _values.AsSpan(record.A, rows * columns);
        Span<double> logitsAdjoint = _adjoints.AsSpan(record.A, rows * columns);
        ReadOnlySpan<int> labels = _auxIndices.AsSpan(record.B, rows);
        Span<double> derivative = Scratch(columns);
        double scale = seed / rows;
        for (int i = 0; i < rows; i++)
        {
            // d/dz (logsumexp z - z_label) = softmax z - onehot(label)
            TensorPrimitives.SoftMax(logits.Slice(i * columns, columns), derivative);
            derivative[labels[i]] -= 1;
            AccumulateScaled(logitsAdjoint.Slice(i * columns, columns), derivative, scale);
        }
    }

    private static void Accumulate(Span<double> adjoint, ReadOnlySpan<double> term) =>
        TensorPrimitives.Add(adjoint, term, adjoint);

    private static void AccumulateScaled(Span<double> adjoint, ReadOnlySpan<double> term, double scale) =>
        TensorPrimitives.MultiplyAdd(term, scale, adjoint, adjoint);

    private static void AccumulateProduct(Span<double> adjoint, ReadOnlySpan<double> seed, ReadOnlySpan<double> partial) =>
        TensorPrimitives.MultiplyAdd(seed, partial, adjoint, adjoint);

    private static void AccumulateWherePositive(Span<double> adjoint, ReadOnlySpan<double> seed, ReadOnlySpan<double> input)
    {
        int i = 0;
        for (; i <= input.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var passes = Vector.GreaterThan(new Vector<double>(input[i..]), Vector<double>.Zero);
            var sum = new Vector<double>(adjoint[i..]) + Vector.ConditionalSelect(passes, new Vector<double>(seed[i..]), Vector<double>.Zero);
            sum.CopyTo(adjoint[i..]);
        }
        for (; i < input.Length; i++)
        {
            if (input[i] > 0) adjoint[i] += seed[i];
        }
    }

    private ref TensorRecord Append(TensorOpKind kind, int length, int a = 0, bool needsA = false, int b = 0, bool needsB = false)
    {
        if (_opCount == _ops.Length) Array.Resize(ref _ops, _ops.Length * 2);
        ref TensorRecord record = ref _ops[_opCount++];
        record = new TensorRecord
        {
            Kind = kind,
            Output = AllocateSlots(length),
            Length = length,
            A = a,
            NeedsA = needsA,
            B = b,
            NeedsB = needsB,
        };
        return ref record;
    }

    private int AppendAux(int count)
    {
        int start = _auxCount;
        if (count > _auxIndices.Length - start)
        {
            int capacity = Math.Max(_auxIndices.Length * 2, start + count);
            Array.Resize(ref _auxIndices, capacity);
            Array.Resize(ref _auxWeights, capacity);
        }
        _auxCount = start + count;
        return start;
    }

    private Span<double> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new double[Math.Max(length, _scratch.Length * 2)];
        return _scratch.AsSpan(0, length);
    }

    private static void ThrowIfNotShape(int length, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != length)
            throw new ArgumentException($"A {rows}x{columns} matrix does not have {length} elements.", nameof(columns));
    }

    // One vector or matrix operation. A and B are the operands' first slots (for Gather and
    // LinearCombination, A is the first auxiliary entry; for SoftmaxCrossEntropy, B is the first
    // label); M, N and K are the shapes the rule needs.
    private struct TensorRecord
    {
        public TensorOpKind Kind;
        public bool NeedsA;
        public bool NeedsB;
        public int Output;
        public int Length;
        public int A;
        public int B;
        public int M;
        public int N;
        public int K;
        public double Scalar;
    }
}
