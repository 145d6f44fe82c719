using AutoGrad.Data;
using AutoGrad.NN;

namespace AutoGrad.Gpu.Tests;

/// <summary>
/// The seed network on real digits: the same seed on ILGPU's CPU accelerator and on the SIMD device reach the same
/// test accuracy. A subset keeps it fast (the CPU accelerator is a simulator); the full epoch is checked by hand with
/// the sample (README, "Accelerators").
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class MnistDeviceTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void One_epoch_of_the_seed_network_on_the_device_reaches_the_SIMD_accuracy_within_a_point()
    {
        var data = MnistDataSet.Load(Path.Combine(RepositoryRoot(), "data", "mnist10k"));
        var train = LabeledSet.From(data.Train).Take(2048);
        var test = LabeledSet.From(data.Test).Take(500);
        double Accuracy(NN.Device device)
        {
            var model = Sequential.Perceptron(784, [64, 64, 64], 10).Initialize(1);
            var result = Trainer.Fit(model, new Adam(model.Parameters.Length, 0.003f), train, test,
                new TrainingOptions { Epochs = 1, BatchSize = 256, Seed = 1, MeasureTrainAccuracy = false, Device = device });
            Assert.Equal(StopReason.EpochLimit, result.StopReason);
            return result.History[^1].ValidationAccuracy;
        }
        double simd = Accuracy(NN.Device.Simd);
        double accelerator = Accuracy(fixture.Device);
        Assert.True(simd > 0.5, $"SIMD accuracy {simd:P2}: the subset should teach the network something");
        Assert.True(Math.Abs(simd - accelerator) <= 0.01, $"SIMD {simd:P2}, ILGPU CPU accelerator {accelerator:P2}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AutoGrad.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No AutoGrad.sln above {AppContext.BaseDirectory}.");
    }
}
