using AutoGrad.Distributed;
using AutoGrad.NN;
using AutoGrad.Tests.NN;

namespace AutoGrad.Tests.Distributed;

/// <summary>Trainer.Fit over several ranks (threads of this process) against the same run in one process.</summary>
public sealed class DataParallelTrainingTests
{
    private static readonly LabeledSet s_train = TestData.Plane(300, 1);
    private static readonly LabeledSet s_validation = TestData.Plane(101, 2);

    private sealed record Run(float[] Parameters, TrainingResult Result);

    private static Run Train(ICommunicator? communicator, int batchSize, int epochs = 3, int startEpoch = 0, Checkpoint? from = null, int modelSeed = 5)
    {
        var model = TestData.PlaneModel(modelSeed);
        var optimizer = new Adam(model.Parameters.Length, 0.02f);
        from?.RestoreInto(model, optimizer);
        var result = Trainer.Fit(model, optimizer, s_train, s_validation,
            new TrainingOptions { Epochs = epochs, StartEpoch = startEpoch, BatchSize = batchSize, Seed = 3, Communicator = communicator });
        return new Run(model.Parameters.ToArray(), result);
    }

    [Theory]
    [InlineData(2, 7)]   // uneven slices (4 + 3), a last batch of 6
    [InlineData(3, 16)]  // three slices, a last batch of 12
    [InlineData(3, 2)]   // one rank's slice of every batch is empty
    public void Ranks_train_the_model_one_process_trains(int ranks, int batchSize)
    {
        var single = Train(null, batchSize);
        var replicas = ThreadGroup.RunAll(ranks, c => Train(c, batchSize));

        foreach (var replica in replicas)
        {
            // Every rank applied the same summed steps: the replicas are identical, bit for bit.
            Assert.Equal(replicas[0].Parameters, replica.Parameters);
            Assert.Equal(ranks, replica.Result.Ranks);
        }
        // The slices' weighted gradients sum to the batch's mean gradient; only rounding differs.
        for (int i = 0; i < single.Parameters.Length; i++)
            Assert.Equal(single.Parameters[i], replicas[0].Parameters[i], 3e-4f * Math.Max(1, Math.Abs(single.Parameters[i])));
        var one = single.Result.History;
        var many = replicas[0].Result.History;
        Assert.Equal(one.Count, many.Count);
        for (int e = 0; e < one.Count; e++)
        {
            Assert.Equal(one[e].TrainLoss, many[e].TrainLoss, 1e-4 * one[e].TrainLoss);
            Assert.Equal(one[e].ValidationAccuracy, many[e].ValidationAccuracy, 0.011); // one of 101 samples may flip
            Assert.Equal(one[e].Steps, many[e].Steps);
        }
        Assert.Equal(single.Result.TotalSteps, replicas[0].Result.TotalSteps);
    }

    [Fact]
    public void One_rank_is_the_plain_run_bit_for_bit()
    {
        var single = Train(null, 7);
        var alone = ThreadGroup.RunAll(1, c => Train(c, 7))[0];
        Assert.Equal(single.Parameters, alone.Parameters);
        Assert.Equal(single.Result.History.Select(e => e.TrainLoss), alone.Result.History.Select(e => e.TrainLoss));
    }

    [Fact]
    public void A_run_resumes_with_another_number_of_ranks()
    {
        var uninterrupted = Train(null, 10, epochs: 4);
        // Two epochs in one process, saved; two more on three ranks from the checkpoint.
        var model = TestData.PlaneModel(5);
        var optimizer = new Adam(model.Parameters.Length, 0.02f);
        Trainer.Fit(model, optimizer, s_train, s_validation, new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = 3 });
        var checkpoint = Checkpoint.Capture("plane", model, optimizer, 2);
        var resumed = ThreadGroup.RunAll(3, c => Train(c, 10, epochs: 4, startEpoch: 2, from: checkpoint));

        Assert.Equal([3, 4], resumed[0].Result.History.Select(e => e.Epoch));
        for (int i = 0; i < uninterrupted.Parameters.Length; i++)
            Assert.Equal(uninterrupted.Parameters[i], resumed[0].Parameters[i], 3e-4f * Math.Max(1, Math.Abs(uninterrupted.Parameters[i])));
    }

    [Fact]
    public void Ranks_with_different_models_fail_on_every_rank_before_the_first_step()
    {
        var outcomes = ThreadGroup.Run(2, c => Train(c, 8, modelSeed: c.Rank == 0 ? 5 : 6));
        foreach (var (_, error) in outcomes)
        {
            var mismatch = Assert.IsType<ReplicaMismatchException>(error);
            Assert.Contains("disagree on the model's parameters.", mismatch.Message);
        }
    }

    [Fact]
    public void Ranks_with_different_data_or_batch_sizes_name_what_differs()
    {
        var outcomes = ThreadGroup.Run(3, c =>
        {
            var model = TestData.PlaneModel(5);
            var train = c.Rank == 2 ? TestData.Plane(300, 9) : s_train;
            return Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), train, null,
                new TrainingOptions { BatchSize = c.Rank == 1 ? 16 : 8, Communicator = c });
        });
        foreach (var (_, error) in outcomes)
            Assert.Contains("disagree on the training data, the batch size, seed and shuffling.", Assert.IsType<ReplicaMismatchException>(error).Message);
    }

    [Fact]
    public void Cancelling_one_rank_stops_every_rank_at_the_same_step()
    {
        var results = ThreadGroup.RunAll(2, c =>
        {
            using var cancel = new CancellationTokenSource();
            var model = TestData.PlaneModel(5);
            return Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), s_train, null, new TrainingOptions
            {
                Epochs = 5, BatchSize = 10, Communicator = c, CancellationToken = cancel.Token,
                OnStepEnd = s => { if (c.Rank == 1 && s.Epoch == 2 && s.Step == 4) cancel.Cancel(); },
            });
        });
        foreach (var result in results)
        {
            Assert.Equal(StopReason.Cancelled, result.StopReason);
            Assert.Equal("Training was cancelled in epoch 2 before step 5 of 30.", result.Message);
        }
    }

    [Fact]
    public void Replicas_changed_on_one_rank_only_fail_after_the_epoch()
    {
        var outcomes = ThreadGroup.Run(2, c =>
        {
            var model = TestData.PlaneModel(5);
            return Trainer.Fit(model, new Sgd(model.Parameters.Length, 0.1f), s_train, null, new TrainingOptions
            {
                Epochs = 3, BatchSize = 10, Communicator = c,
                OnStepEnd = s => { if (c.Rank == 1 && s.Epoch == 2 && s.Step == 1) model.Parameters[0] += 1; },
            });
        });
        foreach (var (_, error) in outcomes)
            Assert.StartsWith("After epoch 2 the 2 ranks hold different parameters", Assert.IsType<ReplicaMismatchException>(error).Message);
    }
}
