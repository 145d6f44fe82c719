using AutoGrad.NN;
using AutoGrad.NN.Functional;
using AutoGrad.Tests.Gradients;

namespace AutoGrad.Tests.NN;

/// <summary>
/// A user's own layer written over the runtime's SIMD primitives (issue 8, point 3). This project only
/// references the AutoGrad assembly: the primitives' [DerivativeOf] rules and the runtime's own
/// [Differentiable] layers are found in its metadata.
/// </summary>
public static partial class CustomLayers
{
    /// <summary>Softmax regression: logits = x Wᵀ + b, probabilities by the runtime's softmax, mean cross-entropy against one-hot targets.</summary>
    [Differentiable]
    public static float SoftmaxRegressionLoss(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        [NoGradient] ReadOnlySpan<float> x, [NoGradient] ReadOnlySpan<float> targets, int batch, int inputs, int classes)
    {
        float[] logits = new float[batch * classes];
        Primitives.MatMulTransposedB(x, weights, logits, batch, inputs, classes);
        float[] shifted = new float[batch * classes];
        Primitives.AddRowVector(logits, bias, shifted, batch, classes);
        float[] probabilities = new float[batch * classes];
        Primitives.Softmax(shifted, probabilities, batch, classes);
        float loss = 0;
        for (int i = 0; i < batch * classes; i++) loss -= targets[i] * MathF.Log(probabilities[i] + 1e-6f);
        return loss / batch;
    }

    /// <summary>The same model through the runtime's [Differentiable] Dense layer and its log-sum-exp primitive.</summary>
    [Differentiable]
    public static float DenseLogSumExpLoss(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        [NoGradient] ReadOnlySpan<float> x, [NoGradient] ReadOnlySpan<float> targets, int batch, int inputs, int classes)
    {
        float[] logits = new float[batch * classes];
        Layers.Dense(x, weights, bias, logits, batch, inputs, classes);
        float[] normalizers = new float[batch];
        Primitives.LogSumExp(logits, normalizers, batch, classes);
        float loss = 0;
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < classes; c++)
                loss += targets[r * classes + c] * (normalizers[r] - logits[r * classes + c]);
        return loss / batch;
    }
}

/// <summary>An <see cref="ITrainableModel"/> whose gradient is the generated one of <see cref="CustomLayers.SoftmaxRegressionLoss"/>.</summary>
internal sealed class SoftmaxRegression(int inputs, int classes, int maxBatch) : ITrainableModel
{
    private readonly float[] _parameters = new float[classes * inputs + classes];
    private readonly float[] _targets = new float[maxBatch * classes];

    public int InputSize => inputs;
    public int OutputSize => classes;
    public Span<float> Parameters => _parameters;

    private ReadOnlySpan<float> Weights => _parameters.AsSpan(0, classes * inputs);
    private ReadOnlySpan<float> Bias => _parameters.AsSpan(classes * inputs);

    public float LossAndGradient(ReadOnlySpan<float> batchInputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
    {
        var targets = _targets.AsSpan(0, batchSize * classes);
        targets.Clear();
        for (int r = 0; r < batchSize; r++) targets[r * classes + labels[r]] = 1;
        return CustomLayers.SoftmaxRegressionLossGradient(Weights, Bias, batchInputs, targets, batchSize, inputs, classes,
            gradient[..(classes * inputs)], gradient[(classes * inputs)..]);
    }

    public void Predict(ReadOnlySpan<float> batchInputs, int batchSize, Span<float> logits)
    {
        Primitives.MatMulTransposedB(batchInputs, Weights, logits, batchSize, inputs, classes);
        Primitives.AddRowVector(logits, Bias, logits, batchSize, classes);
    }
}

public class CustomLayerOverPrimitives
{
    private const int Inputs = 6, Classes = 3;

    /// <summary>Three Gaussian blobs, one per class, with a fixed seed.</summary>
    private static LabeledSet Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * Inputs];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % Classes);
            for (int f = 0; f < Inputs; f++)
                features[i * Inputs + f] = (f % Classes == labels[i] ? 1.5f : 0f) + (float)(random.NextDouble() - 0.5);
        }
        return new LabeledSet(features, labels, Inputs);
    }

    private static double[] Point(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    [Fact]
    public void GradientsThroughPrimitiveRulesFromMetadata()
    {
        const int batch = 4;
        var x = Point(7, batch * Inputs).Select(v => (float)v).ToArray();
        var targets = new float[batch * Classes];
        for (int r = 0; r < batch; r++) targets[r * Classes + r % Classes] = 1;
        const int w = Classes * Inputs;

        static double Reference(double[] p, float[] x, float[] targets)
        {
            double loss = 0;
            for (int r = 0; r < batch; r++)
            {
                var logits = new double[Classes];
                for (int c = 0; c < Classes; c++)
                {
                    logits[c] = p[w + c];
                    for (int k = 0; k < Inputs; k++) logits[c] += x[r * Inputs + k] * p[c * Inputs + k];
                }
                var max = logits.Max();
                var normalizer = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                for (int c = 0; c < Classes; c++) loss += targets[r * Classes + c] * (normalizer - logits[c]);
            }
            return loss / batch;
        }

        foreach (var name in new[] { "softmax", "dense" })
        {
            GradientCheck.VerifyFloat(
                p => Reference(p, x, targets),
                (p, g) => name == "softmax"
                    ? CustomLayers.SoftmaxRegressionLossGradient(p.AsSpan(0, w), p.AsSpan(w), x, targets, batch, Inputs, Classes, g.AsSpan(0, w), g.AsSpan(w))
                    : CustomLayers.DenseLogSumExpLossGradient(p.AsSpan(0, w), p.AsSpan(w), x, targets, batch, Inputs, Classes, g.AsSpan(0, w), g.AsSpan(w)),
                (p, s, g) =>
                {
                    if (name == "softmax") CustomLayers.SoftmaxRegressionLossPullback(p.AsSpan(0, w), p.AsSpan(w), x, targets, batch, Inputs, Classes, s, g.AsSpan(0, w), g.AsSpan(w));
                    else CustomLayers.DenseLogSumExpLossPullback(p.AsSpan(0, w), p.AsSpan(w), x, targets, batch, Inputs, Classes, s, g.AsSpan(0, w), g.AsSpan(w));
                },
                Point(1, w + Classes), Point(2, w + Classes));
        }
    }

    [Fact]
    public void TrainsWithTrainerFit()
    {
        var model = new SoftmaxRegression(Inputs, Classes, maxBatch: 16);
        var result = Trainer.Fit(model, new Adam(model.Parameters.Length, learningRate: 0.05f), Blobs(300, seed: 1), Blobs(90, seed: 2),
            new TrainingOptions { Epochs = 8, BatchSize = 16, Seed = 1 });
        Assert.False(result.Diverged);
        Assert.True(result.History[^1].TrainLoss < 0.5 * result.History[0].TrainLoss, $"loss {result.History[0].TrainLoss} -> {result.History[^1].TrainLoss}");
        Assert.True(result.History[^1].ValidationAccuracy > 0.95, $"validation accuracy {result.History[^1].ValidationAccuracy}");
    }
}
