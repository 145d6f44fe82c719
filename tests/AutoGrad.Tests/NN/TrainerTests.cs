using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

public sealed class TrainerTests
{
    [Fact]
    public void Stops_at_the_epoch_count_and_resumes_from_a_start_epoch()
    {
        var model = new QuadraticModel(1f);
        var epochsSeen = new List<int>();
        var result = Trainer.Fit(model, new Sgd(1, 0.1f), TestData.Single(), null,
            new TrainingOptions { StartEpoch = 2, Epochs = 5, OnEpochEnd = e => epochsSeen.Add(e.Epoch) });
        Assert.Equal(StopReason.EpochLimit, result.StopReason);
        Assert.Equal([3, 4, 5], epochsSeen);
        Assert.Equal(5, result.LastEpoch);
        Assert.Equal(3, result.TotalSteps);
        Assert.Equal(MathF.Pow(0.8f, 3), model.Parameters[0], 6);
    }

    [Theory]
    [InlineData(2, 4, 1)] // after epoch 2's last step: epoch 3 stops before its first
    [InlineData(3, 2, 3)] // mid-epoch: epoch 3 does not count as completed
    public void Cancellation_stops_between_steps_and_reports_the_last_completed_epoch(int cancelAtEpoch, int cancelAtStep, int stoppedBeforeStep)
    {
        using var cancel = new CancellationTokenSource();
        var model = TestData.PlaneModel(3);
        var result = Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), TestData.Plane(40, 2), null, new TrainingOptions
        {
            Epochs = 10, BatchSize = 10, CancellationToken = cancel.Token,
            OnStepEnd = s => { if ((s.Epoch, s.Step) == (cancelAtEpoch, cancelAtStep)) cancel.Cancel(); },
        });
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.LastEpoch);
        Assert.Contains($"epoch 3 before step {stoppedBeforeStep} of 4", result.Message);
    }

    [Fact]
    public void Stops_on_a_loss_plateau()
    {
        var model = new ScriptedModel(1.0f, 0.5f, 0.4995f, 0.4992f, 0.3f);
        var result = Trainer.Fit(model, new Sgd(1, 0.1f), TestData.Single(), null,
            new TrainingOptions { Epochs = 10, PlateauPatience = 2, PlateauMinDelta = 1e-3 });
        // Epoch 2 sets the best (0.5); epochs 3 and 4 improve on it by less than 1e-3.
        Assert.Equal(StopReason.LossPlateau, result.StopReason);
        Assert.Equal(4, result.LastEpoch);
        Assert.Contains("epoch 4", result.Message);
    }

    [Fact]
    public void Stops_when_the_gradient_norm_falls_below_epsilon()
    {
        // SGD with η = 0.25 halves p each step; the gradient 2p falls below 1e-3 once p = 2⁻¹¹, at epoch 12.
        var model = new QuadraticModel(1f);
        var result = Trainer.Fit(model, new Sgd(1, 0.25f), TestData.Single(), null, new TrainingOptions { Epochs = 100, GradientNormEpsilon = 1e-3 });
        Assert.Equal(StopReason.GradientConverged, result.StopReason);
        Assert.Equal(12, result.LastEpoch);
        Assert.Contains("epoch 12, step 1", result.Message);
        Assert.Equal(MathF.Pow(2, -11), model.Parameters[0]);
    }

    [Fact]
    public void Stops_when_validation_accuracy_reaches_the_target()
    {
        var train = TestData.Plane(400, 1);
        var validation = TestData.Plane(200, 2);
        var result = Trainer.Fit(TestData.PlaneModel(3), new Adam(TestData.PlaneModel(3).Parameters.Length, 0.05f), train, validation,
            new TrainingOptions { Epochs = 200, BatchSize = 16, TargetValidationAccuracy = 0.95 });
        Assert.Equal(StopReason.TargetAccuracy, result.StopReason);
        Assert.True(result.History[^1].ValidationAccuracy >= 0.95);
        Assert.True(result.History.Count < 200);
        Assert.True(result.History.Take(result.History.Count - 1).All(e => e.ValidationAccuracy < 0.95));
    }

    [Fact]
    public void A_diverging_loss_stops_training_names_epoch_and_step_and_restores_the_last_good_parameters()
    {
        // SGD with η = 1.5 maps p to −2p: p = (−2)ᵏ, and the loss p² overflows to +∞ once p = 2⁶⁴, at epoch 65.
        var model = new QuadraticModel(1f);
        var result = Trainer.Fit(model, new Sgd(1, 1.5f), TestData.Single(), null, new TrainingOptions { Epochs = 1000 });
        Assert.Equal(StopReason.NonFiniteLoss, result.StopReason);
        Assert.True(result.Diverged);
        Assert.StartsWith("The loss became Infinity at epoch 65, step 1 of 1", result.Message);
        Assert.Contains("epoch 64, step 1", result.Message);
        Assert.Equal(-MathF.Pow(2, 63), model.Parameters[0]);
        Assert.Equal(64, result.History.Count);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        float[] Run(int seed)
        {
            var model = TestData.PlaneModel(5);
            var result = Trainer.Fit(model, new Adam(model.Parameters.Length, 0.01f), TestData.Plane(300, 1), null,
                new TrainingOptions { Epochs = 3, BatchSize = 7, Seed = seed });
            return [.. model.Parameters.ToArray(), (float)result.History[^1].TrainLoss];
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void Steps_allocate_nothing_after_warm_up()
    {
        var model = TestData.PlaneModel(5);
        long atStep5 = 0, atLastStep = 0;
        int lastStep = 0;
        Trainer.Fit(model, new Adam(model.Parameters.Length, 0.01f), TestData.Plane(400, 1), null, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 8,
            OnStepEnd = s =>
            {
                if (s.Epoch != 2) return;
                if (s.Step == 5) atStep5 = GC.GetAllocatedBytesForCurrentThread();
                atLastStep = GC.GetAllocatedBytesForCurrentThread();
                lastStep = s.Step;
            },
        });
        Assert.Equal(50, lastStep);
        Assert.Equal(0, atLastStep - atStep5);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected_before_training()
    {
        var model = TestData.PlaneModel(1);
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Sgd(3, 0.1f), TestData.Plane(10, 1), null));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), TestData.Single(), null));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), TestData.Plane(10, 1), null,
            new TrainingOptions { TargetValidationAccuracy = 0.9 }));
    }
}
