using AutoGrad.Data;
using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>End to end: softmax regression (a perceptron with no hidden layer) learns the embedded 10k-digit MNIST set.</summary>
public sealed class MnistTrainingTests
{
    [Fact]
    public void Softmax_regression_reaches_85_percent_test_accuracy_in_three_epochs()
    {
        var data = MnistDataSet.Load(Path.Combine(RepositoryPaths.Root, "data", "mnist10k"));
        var train = LabeledSet.From(data.Train);
        var test = LabeledSet.From(data.Test);
        var model = Sequential.Perceptron(784, [], 10).Initialize(1);
        var result = Trainer.Fit(model, new Adam(model.Parameters.Length, 0.01f), train, test, new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 1 });

        Assert.Equal(StopReason.EpochLimit, result.StopReason);
        Assert.True(result.History[0].TrainLoss > result.History[^1].TrainLoss);
        Assert.True(result.History[^1].ValidationAccuracy >= 0.85, $"test accuracy {result.History[^1].ValidationAccuracy:P2}");
    }
}
