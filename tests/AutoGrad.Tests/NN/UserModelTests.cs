using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>
/// A model a user writes: a [Differentiable] loss over one flat parameter array (logistic
/// regression with softmax over two classes, written with plain loops), wrapped as an
/// <see cref="ITrainableModel"/> and trained with the runtime's optimizer and loop.
/// </summary>
public partial class UserModelTests
{
    /// <summary>Mean softmax cross-entropy of logits z = W x + b; parameters are W (2 × features) then b (2).</summary>
    [Differentiable]
    internal static float Loss(ReadOnlySpan<float> parameters, [NoGradient] ReadOnlySpan<float> inputs, [NoGradient] ReadOnlySpan<float> targets, int batch, int features)
    {
        float total = 0;
        for (int r = 0; r < batch; r++)
        {
            float z0 = parameters[2 * features];
            float z1 = parameters[2 * features + 1];
            for (int f = 0; f < features; f++)
            {
                z0 += parameters[f] * inputs[r * features + f];
                z1 += parameters[features + f] * inputs[r * features + f];
            }
            float top = MathF.Max(z0, z1);
            float logSum = top + MathF.Log(MathF.Exp(z0 - top) + MathF.Exp(z1 - top));
            total += logSum - targets[2 * r] * z0 - targets[2 * r + 1] * z1;
        }
        return total / batch;
    }

    private sealed class LogisticModel(int features) : ITrainableModel
    {
        private readonly float[] _parameters = new float[2 * features + 2];
        private float[] _targets = [];

        public int InputSize => features;

        public int OutputSize => 2;

        public Span<float> Parameters => _parameters;

        public float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
        {
            if (_targets.Length < 2 * batchSize) _targets = new float[2 * batchSize];
            var targets = _targets.AsSpan(0, 2 * batchSize);
            targets.Clear();
            for (int r = 0; r < batchSize; r++) targets[2 * r + labels[r]] = 1;
            return LossGradient(_parameters, inputs, targets, batchSize, features, gradient);
        }

        public void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits)
        {
            for (int r = 0; r < batchSize; r++)
            {
                for (int c = 0; c < 2; c++)
                {
                    float z = _parameters[2 * features + c];
                    for (int f = 0; f < features; f++) z += _parameters[c * features + f] * inputs[r * features + f];
                    logits[2 * r + c] = z;
                }
            }
        }
    }

    [Fact]
    public void A_user_written_differentiable_model_trains_with_the_runtime_optimizer_and_loop()
    {
        var model = new LogisticModel(2);
        var result = Trainer.Fit(model, new Adam(model.Parameters.Length, 0.05f), TestData.Plane(400, 1), TestData.Plane(200, 2),
            new TrainingOptions { Epochs = 20, BatchSize = 16, Seed = 3 });

        Assert.True(result.History[^1].ValidationAccuracy >= 0.95, $"validation accuracy {result.History[^1].ValidationAccuracy}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void The_user_models_generated_gradient_matches_finite_differences()
    {
        var random = new Random(5);
        var parameters = Enumerable.Range(0, 6).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var inputs = Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] targets = [1, 0, 0, 1, 0, 1, 1, 0];
        var gradient = new float[6];
        LossGradient(parameters, inputs, targets, 4, 2, gradient);
        for (int i = 0; i < parameters.Length; i++)
        {
            var plus = (float[])parameters.Clone();
            var minus = (float[])parameters.Clone();
            plus[i] += 1e-2f;
            minus[i] -= 1e-2f;
            double expected = ((double)Loss(plus, inputs, targets, 4, 2) - Loss(minus, inputs, targets, 4, 2)) / 2e-2;
            Assert.True(Math.Abs(expected - gradient[i]) < 2e-3, $"parameter {i}: expected {expected}, got {gradient[i]}");
        }
    }
}
