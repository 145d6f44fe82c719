using static AutoGrad.Tape.TapeMath;

namespace AutoGrad.Tape.Tests;

public class ScalarOperationTests
{
    private static readonly Dictionary<string, (Func<Var[], Var> Recorded, Func<double[], double> Plain, double[] At)> Cases = new()
    {
        ["a + b"] = (v => v[0] + v[1], x => x[0] + x[1], [0.7, -1.3]),
        ["a + 2.5"] = (v => v[0] + 2.5, x => x[0] + 2.5, [0.7]),
        ["2.5 + a"] = (v => 2.5 + v[0], x => 2.5 + x[0], [0.7]),
        ["a - b"] = (v => v[0] - v[1], x => x[0] - x[1], [0.7, -1.3]),
        ["a - 2.5"] = (v => v[0] - 2.5, x => x[0] - 2.5, [0.7]),
        ["2.5 - a"] = (v => 2.5 - v[0], x => 2.5 - x[0], [0.7]),
        ["a * b"] = (v => v[0] * v[1], x => x[0] * x[1], [0.7, -1.3]),
        ["a * 2.5"] = (v => v[0] * 2.5, x => x[0] * 2.5, [0.7]),
        ["2.5 * a"] = (v => 2.5 * v[0], x => 2.5 * x[0], [0.7]),
        ["a / b"] = (v => v[0] / v[1], x => x[0] / x[1], [0.7, -1.3]),
        ["a / 2.5"] = (v => v[0] / 2.5, x => x[0] / 2.5, [0.7]),
        ["2.5 / a"] = (v => 2.5 / v[0], x => 2.5 / x[0], [0.7]),
        ["-a"] = (v => -v[0], x => -x[0], [0.7]),
        ["a * a"] = (v => v[0] * v[0], x => x[0] * x[0], [0.7]),
        ["Sin"] = (v => Sin(v[0]), x => Math.Sin(x[0]), [0.7]),
        ["Cos"] = (v => Cos(v[0]), x => Math.Cos(x[0]), [0.7]),
        ["Tan"] = (v => Tan(v[0]), x => Math.Tan(x[0]), [0.7]),
        ["Exp"] = (v => Exp(v[0]), x => Math.Exp(x[0]), [0.7]),
        ["Log"] = (v => Log(v[0]), x => Math.Log(x[0]), [0.7]),
        ["Sqrt"] = (v => Sqrt(v[0]), x => Math.Sqrt(x[0]), [0.7]),
        ["Tanh"] = (v => Tanh(v[0]), x => Math.Tanh(x[0]), [0.7]),
        ["Sigmoid"] = (v => Sigmoid(v[0]), x => 1 / (1 + Math.Exp(-x[0])), [0.7]),
        ["Square"] = (v => Square(v[0]), x => x[0] * x[0], [-0.7]),
        ["Pow(a, 3.5)"] = (v => Pow(v[0], 3.5), x => Math.Pow(x[0], 3.5), [0.7]),
        ["Pow(a, -2)"] = (v => Pow(v[0], -2), x => Math.Pow(x[0], -2), [-0.7]),
        ["Pow(2.5, a)"] = (v => Pow(2.5, v[0]), x => Math.Pow(2.5, x[0]), [0.7]),
        ["Pow(a, b)"] = (v => Pow(v[0], v[1]), x => Math.Pow(x[0], x[1]), [0.7, 1.9]),
        ["Abs of positive"] = (v => Abs(v[0]), x => Math.Abs(x[0]), [0.7]),
        ["Abs of negative"] = (v => Abs(v[0]), x => Math.Abs(x[0]), [-0.7]),
        ["Max picks a"] = (v => Max(v[0], v[1]), x => Math.Max(x[0], x[1]), [0.7, -1.3]),
        ["Max picks b"] = (v => Max(v[0], v[1]), x => Math.Max(x[0], x[1]), [-1.3, 0.7]),
        ["Max(a, 0)"] = (v => Max(v[0], 0), x => Math.Max(x[0], 0), [0.7]),
        ["Max(a, 0) below"] = (v => Max(v[0], 0), x => Math.Max(x[0], 0), [-0.7]),
        ["Min picks a"] = (v => Min(v[0], v[1]), x => Math.Min(x[0], x[1]), [-1.3, 0.7]),
        ["Min picks b"] = (v => Min(v[0], v[1]), x => Math.Min(x[0], x[1]), [0.7, -1.3]),
        ["Min(a, 0)"] = (v => Min(v[0], 0), x => Math.Min(x[0], 0), [-0.7]),
        ["Sum of spans"] = (v => Sum(v), x => x.Sum(), [0.7, -1.3, 2.1]),
        ["Dot with constants"] = (v => Dot(v, [2.0, -3.0, 0.5]), x => 2 * x[0] - 3 * x[1] + 0.5 * x[2], [0.7, -1.3, 2.1]),
        ["Dot of spans"] = (v => Dot(v.AsSpan(0, 2), v.AsSpan(1, 2)), x => x[0] * x[1] + x[1] * x[2], [0.7, -1.3, 2.1]),
        ["Stack then Dot"] = (v => TapeMath.Dot(Stack(v), Stack(v)), x => x.Sum(e => e * e), [0.7, -1.3, 2.1]),
        ["composition"] = (
            v => Sin(v[0] * v[1]) + Exp(v[1] / v[2]) - Sqrt(Square(v[2]) + 1) * Tanh(v[0]),
            x => Math.Sin(x[0] * x[1]) + Math.Exp(x[1] / x[2]) - Math.Sqrt(x[2] * x[2] + 1) * Math.Tanh(x[0]),
            [0.7, -1.3, 2.1]),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_central_differences(string name)
    {
        var (recorded, plain, at) = Cases[name];
        GradientAssert.Matches(recorded, plain, at);
    }

    [Fact]
    public void Constants_have_no_adjoint_and_add_no_gradient()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            Var x = tape.Variable(3);
            Var c = 2.0;
            Var y = x * c + c;
            tape.Backward(y);
            Assert.True(c.IsConstant);
            Assert.Equal(2, tape.Adjoint(x));
            Assert.Equal(0, tape.Adjoint(c));
        }
    }

    [Fact]
    public void A_variable_used_twice_accumulates_both_paths()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            Var x = tape.Variable(3);
            Var y = x * x + Sin(x) * x;
            tape.Backward(y);
            Assert.Equal(2 * 3 + Math.Sin(3) + 3 * Math.Cos(3), tape.Adjoint(x), 12);
        }
    }
}
