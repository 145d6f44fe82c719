using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>
/// f(p) = Σ pᵢ², whatever the inputs: its gradient 2p is known exactly, so the training loop's
/// decisions (stopping, rolling back) can be predicted step by step.
/// </summary>
internal sealed class QuadraticModel(params float[] start) : ITrainableModel
{
    private readonly float[] _parameters = start;

    public int InputSize => 1;

    public int OutputSize => 2;

    public Span<float> Parameters => _parameters;

    public float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
    {
        float loss = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            loss += _parameters[i] * _parameters[i];
            gradient[i] = 2 * _parameters[i];
        }
        return loss;
    }

    public void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits)
    {
        for (int i = 0; i < batchSize; i++)
        {
            logits[2 * i] = inputs[i];
            logits[2 * i + 1] = -inputs[i];
        }
    }
}

/// <summary>Reports the losses of a script, one per step, with a unit gradient.</summary>
internal sealed class ScriptedModel(params float[] losses) : ITrainableModel
{
    private readonly float[] _parameters = new float[1];
    private int _step;

    public int InputSize => 1;

    public int OutputSize => 2;

    public Span<float> Parameters => _parameters;

    public float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize, Span<float> gradient)
    {
        gradient[0] = 1;
        return losses[Math.Min(_step++, losses.Length - 1)];
    }

    public void Predict(ReadOnlySpan<float> inputs, int batchSize, Span<float> logits) => logits[..(2 * batchSize)].Clear();
}

internal static class TestData
{
    /// <summary>One sample of one feature: every epoch is exactly one step.</summary>
    public static LabeledSet Single() => new([1f], [0], 1);

    /// <summary>Points in the plane, labelled by the sign of x + y: linearly separable.</summary>
    public static LabeledSet Plane(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[2 * count];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            float x = (float)(random.NextDouble() * 2 - 1), y = (float)(random.NextDouble() * 2 - 1);
            features[2 * i] = x;
            features[2 * i + 1] = y;
            labels[i] = x + y > 0 ? (byte)1 : (byte)0;
        }
        return new LabeledSet(features, labels, 2);
    }

    public static Sequential PlaneModel(int seed) => Sequential.Perceptron(2, [8], 2).Initialize(seed);
}
