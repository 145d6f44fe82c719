using AutoGrad.NN;
using AutoGrad.NN.Layers;

namespace AutoGrad.Gpu.Tests;

/// <summary>Whole training steps on the ILGPU CPU accelerator against the same steps on the SIMD device.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class SessionTests(CpuAcceleratorFixture fixture)
{
    private const int Features = 20, Classes = 5, Batch = 24;

    public static TheoryData<string, ActivationKind> Cases() => new()
    {
        { "sgd", ActivationKind.Relu },
        { "momentum", ActivationKind.Tanh },
        { "adam", ActivationKind.Relu },
        { "adam", ActivationKind.Gelu },
        { "vario-eta", ActivationKind.Sigmoid },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_steps_match_the_SIMD_device_in_loss_norm_parameters_and_optimizer_state(string optimizerKind, ActivationKind activation)
    {
        var (simdModel, simdOptimizer) = Create(optimizerKind, activation);
        var (deviceModel, deviceOptimizer) = Create(optimizerKind, activation);
        using var simd = NN.Device.Simd.Open(simdModel, simdOptimizer);
        using var device = fixture.Device.Open(deviceModel, deviceOptimizer);

        for (int step = 0; step < 3; step++)
        {
            var inputs = Compare.Random(Batch * Features, 100 + step);
            var labels = Enumerable.Range(0, Batch).Select(i => (byte)((i * 3 + step) % Classes)).ToArray();
            float expectedLoss = simd.LossAndGradient(inputs, labels, Batch);
            float loss = device.LossAndGradient(inputs, labels, Batch);
            Assert.Equal(expectedLoss, loss, 1e-4 * Math.Abs(expectedLoss));
            var expectedNorm = simd.SummarizeGradient();
            var norm = device.SummarizeGradient();
            Assert.True(norm.IsFinite);
            Assert.Equal(expectedNorm.Norm, norm.Norm, 1e-4 * expectedNorm.Norm);
            simd.Step();
            device.Step();
        }
        device.Synchronize();
        Compare.Close(simdModel.Parameters, deviceModel.Parameters, "parameters");
        Assert.Equal(simdOptimizer.StepCount, deviceOptimizer.StepCount);
        for (int i = 0; i < simdOptimizer.State.Count; i++)
            Compare.Close(simdOptimizer.State[i], deviceOptimizer.State[i], $"state {i}", tolerance: 1e-3);
    }

    [Fact]
    public void Restoring_kept_parameters_undoes_the_steps_since()
    {
        var (model, optimizer) = Create("sgd", ActivationKind.Relu);
        var start = model.Parameters.ToArray();
        using var session = fixture.Device.Open(model, optimizer);
        session.KeepParameters();
        session.LossAndGradient(Compare.Random(Batch * Features, 5), new byte[Batch], Batch);
        session.Step();
        session.Synchronize();
        Assert.NotEqual(start, model.Parameters.ToArray());
        session.RestoreKeptParameters();
        session.Synchronize();
        Assert.Equal(start, model.Parameters.ToArray());
    }

    [Fact]
    public void Unsupported_models_and_bad_labels_get_clear_errors()
    {
        var model = new Sequential(new Dense(Features, 4), new Activation(4, ActivationKind.ParametricRelu), new Dense(4, Classes)).Initialize(1);
        var error = Assert.Throws<NotSupportedException>(() => fixture.Device.Open(model, new Sgd(model.Parameters.Length, 0.1f)));
        Assert.Contains("ParametricRelu", error.Message);

        var (plain, optimizer) = Create("sgd", ActivationKind.Relu);
        using var session = fixture.Device.Open(plain, optimizer);
        var labels = new byte[Batch];
        labels[3] = Classes;
        var bad = Assert.Throws<ArgumentException>(() => session.LossAndGradient(new float[Batch * Features], labels, Batch));
        Assert.Contains("sample 3", bad.Message);
    }

    [Fact]
    public void Trainer_fits_on_the_device_and_leaves_the_result_in_the_host_model()
    {
        var (deviceModel, deviceOptimizer) = Create("adam", ActivationKind.Relu);
        var (simdModel, simdOptimizer) = Create("adam", ActivationKind.Relu);
        var data = Data(96, 7);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 3 };
        var simd = Trainer.Fit(simdModel, simdOptimizer, data, data, options);
        var device = Trainer.Fit(deviceModel, deviceOptimizer, data, data, new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 3, Device = fixture.Device });

        Assert.Equal(StopReason.EpochLimit, device.StopReason);
        Assert.Equal(simd.History[^1].TrainLoss, device.History[^1].TrainLoss, 1e-3);
        Compare.Close(simdModel.Parameters, deviceModel.Parameters, "parameters", tolerance: 1e-3);
        Assert.Equal(6, deviceOptimizer.StepCount);
    }

    private static (Sequential Model, Optimizer Optimizer) Create(string optimizerKind, ActivationKind activation)
    {
        var model = Sequential.Perceptron(Features, [16, 12], Classes, activation).Initialize(42);
        return (model, Optimizer.Create(optimizerKind, model.Parameters.Length, optimizerKind == "sgd" ? 0.1f : 0.01f));
    }

    private static LabeledSet Data(int count, int seed)
    {
        var features = Compare.Random(count * Features, seed);
        var labels = new byte[count];
        // A learnable rule: the class is the index of the largest of the first five features.
        for (int i = 0; i < count; i++)
        {
            int best = 0;
            for (int c = 1; c < Classes; c++) if (features[i * Features + c] > features[i * Features + best]) best = c;
            labels[i] = (byte)best;
        }
        return new LabeledSet(features, labels, Features);
    }
}
