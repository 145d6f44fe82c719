using static AutoGrad.Tape.TapeMath;

namespace AutoGrad.Tape.Tests;

public class TensorOperationTests
{
    // Each case maps one variable vector to a scalar; vector results are reduced by a dot product
    // with fixed weights so that every element gets a different seed adjoint.
    private static readonly Dictionary<string, (Func<VarVector, Var> F, int Length, double Low, double High)> Cases = new()
    {
        ["a + b"] = (x => Weigh(x.Slice(0, 6) + x.Slice(6, 6)), 12, -1, 1),
        ["a - b"] = (x => Weigh(x.Slice(0, 6) - x.Slice(6, 6)), 12, -1, 1),
        ["a * b"] = (x => Weigh(x.Slice(0, 6) * x.Slice(6, 6)), 12, -1, 1),
        ["a * a"] = (x => Weigh(x * x), 7, -1, 1),
        ["overlapping slices multiplied"] = (x => Weigh(x.Slice(0, 6) * x.Slice(1, 6)), 7, -1, 1),
        ["a * 2.5"] = (x => Weigh(x * 2.5), 7, -1, 1),
        ["2.5 * a"] = (x => Weigh(2.5 * x), 7, -1, 1),
        ["-a"] = (x => Weigh(-x), 7, -1, 1),
        ["Exp"] = (x => Weigh(Exp(x)), 11, -1, 1),
        ["Log"] = (x => Weigh(Log(x)), 11, 0.5, 2),
        ["Tanh"] = (x => Weigh(Tanh(x)), 11, -2, 2),
        ["Sigmoid"] = (x => Weigh(Sigmoid(x)), 11, -3, 3),
        ["Relu"] = (x => Weigh(Relu(x)), 11, -1, 1),
        ["Square"] = (x => Weigh(Square(x)), 11, -1, 1),
        ["Sum"] = (x => Square(Sum(x)), 11, -1, 1),
        ["SumOfSquares"] = (x => SumOfSquares(x), 11, -1, 1),
        ["Dot"] = (x => Dot(x.Slice(0, 5), x.Slice(5, 5)), 10, -1, 1),
        ["Dot with itself"] = (x => Dot(x, x), 10, -1, 1),
        ["element"] = (x => x[3] * x[1] + Sin(x[3]), 5, -1, 1),
        ["Stack of elements"] = (x => Weigh(Stack([x[2], x[0] * x[1], Exp(x[2])])), 3, -1, 1),
        ["MatVec"] = (x => Weigh(MatVec(x.Slice(0, 12).AsMatrix(3, 4), x.Slice(12, 4))), 16, -1, 1),
        ["MatVec by a constant matrix"] = (x => Weigh(MatVec(Data(3, 4), x)), 4, -1, 1),
        ["MatVec of a constant vector"] = (x => Weigh(MatVec(x.AsMatrix(3, 4), Data(4))), 12, -1, 1),
        ["MatMul"] = (x => Weigh(MatMul(x.Slice(0, 6).AsMatrix(2, 3), x.Slice(6, 12).AsMatrix(3, 4)).AsVector()), 18, -1, 1),
        ["MatMul of a constant"] = (x => Weigh(MatMul(Data(2, 3), x.AsMatrix(3, 4)).AsVector()), 12, -1, 1),
        ["MatMulTransposed"] = (x => Weigh(MatMulTransposed(x.Slice(0, 6).AsMatrix(2, 3), x.Slice(6, 12).AsMatrix(4, 3)).AsVector()), 18, -1, 1),
        ["MatMulTransposed by a constant"] = (x => Weigh(MatMulTransposed(x.AsMatrix(4, 3), Data(2, 3)).AsVector()), 12, -1, 1),
        ["AddRowVector"] = (x => Weigh(AddRowVector(x.Slice(0, 12).AsMatrix(3, 4), x.Slice(12, 4)).AsVector()), 16, -1, 1),
        ["matrix + and -"] = (x => Weigh((x.Slice(0, 6).AsMatrix(2, 3) + x.Slice(6, 6).AsMatrix(2, 3) - x.Slice(1, 6).AsMatrix(2, 3)).AsVector()), 12, -1, 1),
        ["matrix element-wise functions"] = (x => Weigh(Tanh(Exp(Sigmoid(Square(Relu(Log(x.AsMatrix(2, 3)))))).AsVector())), 6, 0.5, 3),
        ["SoftmaxCrossEntropy of a vector"] = (x => SoftmaxCrossEntropy(x, 2), 5, -2, 2),
        ["SoftmaxCrossEntropy of a batch"] = (x => SoftmaxCrossEntropy(x.AsMatrix(3, 4), [1, 0, 3]), 12, -2, 2),
        ["SoftmaxCrossEntropy of large logits"] = (x => SoftmaxCrossEntropy(x * 400.0, 0), 4, -2, 2),
        ["mixed scalar and vector records"] = (x => x[1] * Weigh(Tanh(x[0] * x) + x * x[2]), 6, -1, 1),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_central_differences(string name)
    {
        var (f, length, low, high) = Cases[name];
        GradientAssert.MatchesVector(f, GradientAssert.Uniform(seed: name.Length, count: length, low, high));
    }

    [Fact]
    public void Forward_values_match_the_scalar_records()
    {
        double[] x = GradientAssert.Uniform(seed: 7, count: 6, low: 0.5, high: 2);
        var tape = new GradientTape();
        using (tape.Record())
        {
            VarVector v = tape.Variable(x);
            var checks = new (VarVector Vector, Func<double, double> Element)[]
            {
                (Exp(v), Math.Exp),
                (Log(v), Math.Log),
                (Tanh(v), Math.Tanh),
                (Sigmoid(v), e => 1 / (1 + Math.Exp(-e))),
                (Relu(v * -1.0), e => Math.Max(-e, 0)),
                (Square(v), e => e * e),
            };
            foreach (var (vector, element) in checks)
                GradientAssert.AllClose(x.Select(element).ToArray(), tape.Values(vector).ToArray(), 1e-14);
        }
    }

    [Fact]
    public void Constants_get_no_adjoint()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            VarVector data = tape.Constant([1.0, 2.0]);
            VarVector w = tape.Variable([3.0, 4.0]);
            Assert.False(data.RequiresGradient);
            Assert.False(Square(data).RequiresGradient);
            Assert.True((data * w).RequiresGradient);

            tape.Backward(Dot(data, w));

            Assert.Equal([1.0, 2.0], tape.Adjoints(w).ToArray());
            Assert.Equal([0.0, 0.0], tape.Adjoints(data).ToArray());
        }
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            VarVector a = tape.Variable([1.0, 2.0]);
            VarVector b = tape.Variable([1.0, 2.0, 3.0]);
            Assert.Throws<ArgumentException>(() => a + b);
            Assert.Throws<ArgumentException>(() => Dot(a, b));
            Assert.Throws<ArgumentException>(() => MatVec(b.AsMatrix(1, 3), a));
            Assert.Throws<ArgumentException>(() => MatMul(a.AsMatrix(2, 1), a.AsMatrix(2, 1)));
            Assert.Throws<ArgumentException>(() => b.AsMatrix(2, 2));
            Assert.Throws<ArgumentException>(() => tape.Variable([1.0, 2.0, 3.0], 2, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy(a, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => a[2]);
            Assert.Throws<ArgumentOutOfRangeException>(() => a.Slice(1, 2));
        }
    }

    private static Var Weigh(VarVector y) =>
        Dot(y, GradientTape.Current.Constant(GradientAssert.Uniform(seed: 99, count: y.Length, low: 0.5, high: 1.5)));

    private static VarVector Data(int length) =>
        GradientTape.Current.Constant(GradientAssert.Uniform(seed: 98, count: length));

    private static VarMatrix Data(int rows, int columns) =>
        GradientTape.Current.Constant(GradientAssert.Uniform(seed: 97, count: rows * columns), rows, columns);
}
