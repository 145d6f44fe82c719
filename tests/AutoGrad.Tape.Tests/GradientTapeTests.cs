using static AutoGrad.Tape.TapeMath;

namespace AutoGrad.Tape.Tests;

public class GradientTapeTests
{
    [Fact]
    public void Reset_and_rerecord_of_a_scalar_function_allocates_nothing()
    {
        var tape = new GradientTape();
        for (int i = 0; i < 5; i++) SeedGradient(tape, i);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 1000; i++) sum += SeedGradient(tape, i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Reset_and_rerecord_of_a_batched_mlp_allocates_nothing()
    {
        var tape = new GradientTape(initialCapacity: 16);
        double[] weights = GradientAssert.Uniform(seed: 5, count: 8 * 4 + 8 + 3 * 8 + 3);
        double[] batch = GradientAssert.Uniform(seed: 6, count: 5 * 4);
        int[] labels = [0, 1, 2, 1, 0];
        for (int i = 0; i < 5; i++) MlpGradient(tape, weights, batch, labels);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) MlpGradient(tape, weights, batch, labels);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_reset_tape_gives_the_same_gradient_again()
    {
        var tape = new GradientTape(initialCapacity: 4);
        var first = new double[4];
        var second = new double[4];

        RecordRosenbrock(tape, [0.5, -1.5, 2, 0.25], first);
        RecordRosenbrock(tape, [3, 1, -2, 7], second);
        RecordRosenbrock(tape, [0.5, -1.5, 2, 0.25], second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_tape_grows_past_its_initial_capacity()
    {
        var tape = new GradientTape(initialCapacity: 0);
        using (tape.Record())
        {
            Var x = tape.Variable(1.0001);
            Var y = x;
            for (int i = 0; i < 10_000; i++) y = y * x;
            VarVector v = tape.Variable(new double[5000]);
            tape.Backward(y + Sum(v));

            Assert.Equal(10_001 * Math.Pow(1.0001, 10_000), tape.Adjoint(x), 6);
            Assert.All(tape.Adjoints(v).ToArray(), a => Assert.Equal(1, a));
        }
    }

    [Fact]
    public void Backward_from_an_intermediate_value_ignores_later_records()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            Var x = tape.Variable(2);
            Var y = x * x;
            VarVector later = tape.Variable([1.0, 2.0]) * y;
            Var z = Sum(later) * x;

            tape.Backward(y);
            Assert.Equal(4, tape.Adjoint(x));
            tape.Backward(z);
            Assert.Equal(3 * 3 * 4, tape.Adjoint(x));
        }
    }

    [Fact]
    public void A_constant_output_has_a_zero_gradient()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            Var x = tape.Variable(2);
            tape.Backward(5.0);
            Assert.Equal(0, tape.Adjoint(x));
        }
    }

    [Fact]
    public void Recording_scopes_nest_and_restore_the_previous_tape()
    {
        var outer = new GradientTape();
        var inner = new GradientTape();
        using (outer.Record())
        {
            using (inner.Record()) Assert.Same(inner, GradientTape.Current);
            Assert.Same(outer, GradientTape.Current);
        }
        Assert.Throws<InvalidOperationException>(() => GradientTape.Current);
    }

    [Fact]
    public void Operations_outside_a_recording_scope_throw()
    {
        Var x = new GradientTape().Variable(1);
        Assert.Throws<InvalidOperationException>(() => x * x);
    }

    [Fact]
    public void A_value_from_before_a_reset_is_rejected()
    {
        var tape = new GradientTape();
        Var stale;
        using (tape.Record()) stale = TapeMath.Exp(tape.Variable(1) * 2);
        tape.Reset();
        using (tape.Record())
        {
            tape.Variable(1);
            Assert.Throws<ArgumentException>(() => tape.Backward(stale));
            Assert.Throws<ArgumentException>(() => tape.Adjoint(stale));
        }
    }

    [Fact]
    public void Gradient_checks_the_span_lengths()
    {
        var tape = new GradientTape();
        using (tape.Record())
        {
            Var x = tape.Variable(1);
            Assert.Throws<ArgumentException>(() => tape.Gradient(x, [x], new double[2]));
            Assert.Throws<ArgumentException>(() => tape.Variables([1.0], new Var[2]));
        }
    }

    private static double SeedGradient(GradientTape tape, int i)
    {
        tape.Reset();
        using (tape.Record())
        {
            Var a = tape.Variable(1 + i % 3), b = tape.Variable(2), c = tape.Variable(3), d = tape.Variable(4);
            Var f = Pow((a + b) * (c + d), 2) + Sin(a) * Exp(b) / Sqrt(c) - Tanh(d) + Max(a, b);
            tape.Backward(f);
            return tape.Adjoint(a) + tape.Adjoint(d);
        }
    }

    private static void MlpGradient(GradientTape tape, double[] weights, double[] batch, int[] labels)
    {
        tape.Reset();
        using (tape.Record())
        {
            VarVector p = tape.Variable(weights);
            VarMatrix w1 = p.Slice(0, 32).AsMatrix(8, 4);
            VarVector b1 = p.Slice(32, 8);
            VarMatrix w2 = p.Slice(40, 24).AsMatrix(3, 8);
            VarVector b2 = p.Slice(64, 3);
            VarMatrix x = tape.Constant(batch, 5, 4);
            VarMatrix hidden = Relu(AddRowVector(MatMulTransposed(x, w1), b1));
            Var loss = SoftmaxCrossEntropy(AddRowVector(MatMul(hidden, w2.AsVector().AsMatrix(8, 3)), b2), labels);
            tape.Backward(loss + 0.01 * SumOfSquares(p));
        }
    }

    private static void RecordRosenbrock(GradientTape tape, double[] x, double[] gradient)
    {
        tape.Reset();
        using (tape.Record())
        {
            var inputs = new Var[x.Length];
            tape.Variables(x, inputs);
            Var sum = 0;
            for (int i = 0; i < x.Length - 1; i++) sum += 100 * Square(inputs[i + 1] - inputs[i] * inputs[i]) + Square(1 - inputs[i]);
            tape.Gradient(sum, inputs, gradient);
        }
    }
}
