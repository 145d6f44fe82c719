using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>Each optimizer's first two steps from θ = (1, −2), against the formulas evaluated by hand in double precision.</summary>
public sealed class OptimizerTests
{
    private static readonly float[] s_firstGradient = [0.5f, -1f];
    private static readonly float[] s_secondGradient = [1f, 0f];

    [Fact]
    public void Sgd_updates_every_parameter_through_vectors_and_tail()
    {
        // 37 parameters: several whole vectors of any width, then a scalar tail.
        var parameters = Enumerable.Range(0, 37).Select(i => 0.5f - 0.03f * i).ToArray();
        var gradient = Enumerable.Range(0, 37).Select(i => MathF.Sin(i) * 2).ToArray();
        var expected = parameters.Select((p, i) => p - 0.25f * gradient[i]).ToArray();
        new Sgd(37, 0.25f).Step(parameters, gradient);
        Assert.Equal(expected, parameters);
    }

    [Fact]
    public void Sgd_steps_against_the_gradient()
    {
        var (first, second) = TwoSteps(new Sgd(2, 0.1f));
        AssertClose([0.95, -1.9], first);
        AssertClose([0.85, -1.9], second);
    }

    [Fact]
    public void Momentum_accumulates_velocity()
    {
        var (first, second) = TwoSteps(new MomentumSgd(2, 0.1f, momentum: 0.9f));
        AssertClose([0.95, -1.9], first); // v = g
        // v = 0.9 (0.5, −1) + (1, 0) = (1.45, −0.9)
        AssertClose([0.95 - 0.145, -1.9 + 0.09], second);
    }

    [Fact]
    public void Adam_is_bias_corrected()
    {
        var optimizer = new Adam(2, 0.1f, beta1: 0.9f, beta2: 0.999f, epsilon: 1e-8f);
        var (first, second) = TwoSteps(optimizer);
        // Step 1: m̂ = g, v̂ = g², so each parameter moves η against the sign of its gradient.
        AssertClose([0.9, -1.9], first);
        double Update(double g1, double g2)
        {
            double m = 0.9 * 0.1 * g1 + 0.1 * g2, v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
            return 0.1 * (m / (1 - 0.9 * 0.9)) / (Math.Sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        }
        AssertClose([0.9 - Update(0.5, 1), -1.9 - Update(-1, 0)], second);
        Assert.Equal(2, optimizer.StepCount);
    }

    [Fact]
    public void Adam_moments_of_a_parameter_whose_gradient_stops_end_at_zero_not_subnormal()
    {
        // 37 parameters: the vector loop and the scalar tail. Once the gradient is zero, m decays
        // by β₁ per step; without flushing it would stay subnormal for ever (slow arithmetic).
        const int count = 37;
        var optimizer = new Adam(count, 0.01f);
        var parameters = new float[count];
        var gradient = Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? 1e-3f : -2e-3f) * (1 + i)).ToArray();
        optimizer.Step(parameters, gradient);
        var zero = new float[count];
        for (int step = 0; step < 1200; step++)
        {
            optimizer.Step(parameters, zero);
            foreach (var buffer in optimizer.State)
                Assert.All(buffer, x => Assert.False(float.IsSubnormal(x), $"a subnormal moment {x:g9} after {step + 2} steps"));
        }
        Assert.All(optimizer.State[0], x => Assert.Equal(0f, x));
        Assert.All(parameters, x => Assert.True(float.IsFinite(x) && x != 0));
    }

    [Theory]
    [InlineData(37)]
    [InlineData(3 * 8192 + 5)]
    public void Adam_update_is_the_scalar_formula_to_the_bit_on_any_number_of_threads(int count)
    {
        // 3 · 8192 + 5 parameters: the update is cut into blocks that the fork-join workers share
        // (on two cores or more), with a short last block; each element's arithmetic must be the
        // float formula evaluated alone, in the order the scalar loop uses.
        const float rate = 0.003f, beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
        var optimizer = new Adam(count, rate, beta1, beta2, epsilon);
        var random = new Random(31);
        var parameters = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var expected = (float[])parameters.Clone();
        var m = new float[count];
        var v = new float[count];
        for (int step = 1; step <= 3; step++)
        {
            var gradient = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
            optimizer.Step(parameters, gradient);
            float corrected = (float)(rate / (1 - Math.Pow(beta1, step)));
            float secondScale = (float)(1 / (1 - Math.Pow(beta2, step)));
            for (int i = 0; i < count; i++)
            {
                float g = gradient[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                expected[i] -= corrected * m[i] / (MathF.Sqrt(v[i] * secondScale) + epsilon);
            }
            for (int i = 0; i < count; i++)
                Assert.True(expected[i] == parameters[i], $"step {step}, parameter {i}: expected {expected[i]:R}, got {parameters[i]:R}");
        }
        Assert.Equal(m, optimizer.State[0]);
        Assert.Equal(v, optimizer.State[1]);
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("vario-eta")]
    public void State_of_a_parameter_whose_gradient_stops_ends_at_zero_not_subnormal(string kind)
    {
        const int count = 37;
        // β = 0.9, so the averages reach the subnormal range within the 2,000 steps.
        Optimizer optimizer = kind == "momentum" ? new MomentumSgd(count, 0.01f, momentum: 0.9f) : new VarioEta(count, 0.01f, decay: 0.9f);
        var parameters = new float[count];
        var gradient = Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? 1e-3f : -2e-3f) * (1 + i)).ToArray();
        optimizer.Step(parameters, gradient);
        var zero = new float[count];
        for (int step = 0; step < 2000; step++)
        {
            optimizer.Step(parameters, zero);
            foreach (var buffer in optimizer.State)
                Assert.All(buffer, x => Assert.False(float.IsSubnormal(x), $"a subnormal state value {x:g9} after {step + 2} steps"));
        }
        Assert.All(parameters, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void VarioEta_divides_by_the_running_standard_deviation()
    {
        var (first, second) = TwoSteps(new VarioEta(2, 0.1f, decay: 0.99f, epsilon: 1e-6f));
        // Step 1: μ = 0.01 g, s = 0.99 · 0.01 g², σ² = s / (1 − 0.99) = 0.99 g².
        double Step1(double g) => 0.1 * g / (Math.Sqrt(0.99 * g * g) + 1e-6);
        AssertClose([1 - Step1(0.5), -2 - Step1(-1)], first);
        double Step2(double g1, double g2)
        {
            double mean = 0.01 * g1, variance = 0.99 * 0.01 * g1 * g1;
            double delta = g2 - mean;
            variance = 0.99 * (variance + 0.01 * delta * delta);
            return 0.1 * g2 / (Math.Sqrt(variance / (1 - 0.99 * 0.99)) + 1e-6);
        }
        AssertClose([first[0] - Step2(0.5, 1), first[1] - Step2(-1, 0)], second);
    }

    [Theory]
    [InlineData("sgd", 0)]
    [InlineData("momentum", 1)]
    [InlineData("adam", 2)]
    [InlineData("vario-eta", 2)]
    public void State_restores_into_a_fresh_optimizer_and_continues_identically(string kind, int buffers)
    {
        var original = Optimizer.Create(kind, 2, 0.05f);
        Assert.Equal(kind, original.Kind);
        Assert.Equal(buffers, original.State.Count);
        float[] a = [1f, -2f], b;
        original.Step(a, s_firstGradient);
        var snapshot = OptimizerSnapshot.Of(original);
        b = (float[])a.Clone();
        var restored = Optimizer.Create(kind, 2, 0.05f);
        snapshot.RestoreInto(restored);
        original.Step(a, s_secondGradient);
        restored.Step(b, s_secondGradient);
        Assert.Equal(a, b);
        Assert.Equal(original.StepCount, restored.StepCount);
    }

    [Fact]
    public void Mismatched_lengths_and_kinds_are_rejected()
    {
        var adam = new Adam(3, 0.1f);
        Assert.Throws<ArgumentException>(() => adam.Step(new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => OptimizerSnapshot.Of(new MomentumSgd(3, 0.1f)).RestoreInto(adam));
        Assert.Throws<ArgumentException>(() => Optimizer.Create("rmsprop", 3, 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = float.NaN);
    }

    private static (float[] First, float[] Second) TwoSteps(Optimizer optimizer)
    {
        float[] parameters = [1f, -2f];
        optimizer.Step(parameters, s_firstGradient);
        var first = (float[])parameters.Clone();
        optimizer.Step(parameters, s_secondGradient);
        return (first, parameters);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
