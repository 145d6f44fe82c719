using System.Numerics.Tensors;

namespace AutoGrad.NN;

/// <summary>The host device: the model's SIMD <see cref="ITrainableModel.LossAndGradient"/> and the optimizer's <see cref="Optimizer.Step"/>, in place.</summary>
internal sealed class SimdDevice : Device
{
    public override string Name => "cpu";

    public override TrainingSession Open(ITrainableModel model, Optimizer optimizer) => new SimdSession(model, optimizer);

    /// <summary>Parameters live in the model itself, so there is nothing to synchronise; all buffers exist before the first step.</summary>
    private sealed class SimdSession(ITrainableModel model, Optimizer optimizer) : TrainingSession(model, optimizer)
    {
        private readonly float[] _gradient = new float[model.Parameters.Length];
        private readonly float[] _kept = model.Parameters.ToArray();

        public override float LossAndGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> labels, int batchSize) =>
            Model.LossAndGradient(inputs, labels, batchSize, _gradient);

        public override GradientSummary SummarizeGradient()
        {
            double norm = TensorPrimitives.Norm<float>(_gradient);
            return new GradientSummary(norm, double.IsFinite(norm) || float.IsFinite(TensorPrimitives.MaxMagnitude<float>(_gradient)));
        }

        public override void Step() => Optimizer.Step(Model.Parameters, _gradient);

        public override void KeepParameters() => Model.Parameters.CopyTo(_kept);

        public override void RestoreKeptParameters() => _kept.CopyTo(Model.Parameters);

        public override void Synchronize()
        {
        }
    }
}
