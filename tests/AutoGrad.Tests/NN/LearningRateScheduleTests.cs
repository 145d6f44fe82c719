using System.Buffers.Binary;
using System.Security.Cryptography;
using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>Each schedule's rate at known steps, worked out by hand; how optimizers read them; how they are saved.</summary>
public sealed class LearningRateScheduleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autograd-schedule-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Constant_is_the_same_at_every_step()
    {
        var schedule = new ConstantRate(0.25f);
        Assert.Equal([0.25f, 0.25f, 0.25f], new long[] { 0, 1, 1_000_000 }.Select(schedule.RateAt));
    }

    [Fact]
    public void Step_decay_drops_by_the_factor_after_each_interval()
    {
        var schedule = new StepDecay(0.8f, factor: 0.5f, interval: 3);
        // steps 0-2: 0.8; 3-5: 0.4; 6-8: 0.2; 9: 0.1
        Assert.Equal([0.8f, 0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.2f, 0.2f, 0.2f, 0.1f], Enumerable.Range(0, 10).Select(t => schedule.RateAt(t)));
    }

    [Fact]
    public void Exponential_decay_shrinks_smoothly_by_the_factor_per_interval()
    {
        var schedule = new ExponentialDecay(1f, factor: 0.25f, interval: 2);
        Assert.Equal(1f, schedule.RateAt(0));
        Assert.Equal(0.5f, schedule.RateAt(1), 6);    // 0.25^(1/2)
        Assert.Equal(0.25f, schedule.RateAt(2), 6);
        Assert.Equal(0.125f, schedule.RateAt(3), 6);
        Assert.Equal(0.25f * 0.25f * 0.25f, schedule.RateAt(6), 6);
        var perStep = new ExponentialDecay(0.1f, factor: 0.9f);
        Assert.Equal(0.1 * Math.Pow(0.9, 10), perStep.RateAt(10), 6);
    }

    [Fact]
    public void Cosine_falls_along_half_a_cosine_and_then_stays_at_its_floor()
    {
        var schedule = new CosineAnnealing(1f, steps: 4, minLearningRate: 0.2f);
        // η = 0.2 + 0.8 (1 + cos(π t / 4)) / 2
        Assert.Equal(1f, schedule.RateAt(0));
        Assert.Equal(0.2 + 0.4 * (1 + Math.Sqrt(0.5)), schedule.RateAt(1), 6);
        Assert.Equal(0.6f, schedule.RateAt(2), 6);
        Assert.Equal(0.2 + 0.4 * (1 - Math.Sqrt(0.5)), schedule.RateAt(3), 6);
        Assert.Equal(0.2f, schedule.RateAt(4), 6);
        Assert.Equal(0.2f, schedule.RateAt(40), 6);
        Assert.Equal(0f, new CosineAnnealing(0.5f, 10).RateAt(10));
    }

    [Fact]
    public void Warmup_climbs_linearly_then_runs_the_schedule_from_its_start()
    {
        var schedule = new StepDecay(1f, 0.5f, interval: 2).WithWarmup(4);
        Assert.IsType<LinearWarmup>(schedule);
        // Warm-up: 1/5 .. 4/5 of the first rate; then the step decay from its step 0.
        float[] expected = [0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f, 0.5f, 0.5f, 0.25f];
        var actual = Enumerable.Range(0, expected.Length).Select(t => schedule.RateAt(t)).ToArray();
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], actual[t], 6);
        var plain = new ConstantRate(0.1f);
        Assert.Same(plain, plain.WithWarmup(0));
    }

    [Fact]
    public void Invalid_parameters_name_themselves()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantRate(0)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantRate(float.NaN)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0.1f, 1.5f, 10)).ParamName);
        Assert.Equal("interval", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1f, 0.5f, 0)).ParamName);
        Assert.Equal("minLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1f, 10, 0.2f)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealing(0.1f, 0)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(-1, new ConstantRate(1))).ParamName);
    }

    [Fact]
    public void An_optimizer_takes_each_step_at_the_scheduled_rate()
    {
        // Plain SGD on f(θ) = θ with gradient 1: each step moves θ by exactly the step's rate.
        var optimizer = new Sgd(1, 1f) { Schedule = new StepDecay(0.5f, 0.5f, interval: 1) };
        Assert.Equal(0.5f, optimizer.LearningRate); // the rate the first step will use
        float[] theta = [0f];
        var moves = new List<float>();
        for (int t = 0; t < 4; t++)
        {
            float before = theta[0];
            optimizer.Step(theta, [1f]);
            moves.Add(before - theta[0]);
            Assert.Equal(moves[^1], optimizer.LearningRate);
        }
        Assert.Equal([0.5f, 0.25f, 0.125f, 0.0625f], moves);
        Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.1f);

        optimizer.Reset();
        Assert.Equal(0.5f, optimizer.LearningRate);
        optimizer.Schedule = null;
        optimizer.LearningRate = 0.1f;
        optimizer.Step(theta, [1f]);
        Assert.Equal(0.1f, optimizer.LearningRate);
    }

    [Fact]
    public void Optimizer_Create_with_a_schedule_starts_at_its_first_rate()
    {
        var optimizer = Optimizer.Create("adam", 3, new CosineAnnealing(0.01f, 100).WithWarmup(9));
        Assert.Equal(0.001f, optimizer.LearningRate, 6);
        Assert.IsType<LinearWarmup>(optimizer.Schedule);
    }

    [Fact]
    public void Training_history_records_the_rate_of_each_epochs_last_step()
    {
        var model = TestData.PlaneModel(1);
        var optimizer = new Adam(model.Parameters.Length, 0.01f) { Schedule = new StepDecay(0.01f, 0.5f, interval: 5) };
        var result = Trainer.Fit(model, optimizer, TestData.Plane(50, 1), null, new TrainingOptions { Epochs = 3, BatchSize = 10 });
        // Five steps per epoch: the last steps are steps 4, 9 and 14.
        Assert.Equal([0.01, 0.005, 0.0025], result.History.Select(e => Math.Round(e.LearningRate, 6)));
    }

    public static TheoryData<LearningRateSchedule> Schedules() =>
    [
        new ConstantRate(0.003f),
        new StepDecay(0.1f, 0.5f, 1000),
        new ExponentialDecay(0.1f, 0.9f, 7),
        new CosineAnnealing(0.003f, 3000, 1e-5f),
        new LinearWarmup(100, new CosineAnnealing(0.003f, 3000)),
        new LinearWarmup(3, new LinearWarmup(2, new ConstantRate(1))),
    ];

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Json_round_trips_to_an_equal_schedule(LearningRateSchedule schedule)
    {
        var back = LearningRateSchedule.FromJson(schedule.ToJson());
        Assert.Equal(schedule, back);
        Assert.Equal(schedule.RateAt(1234), back.RateAt(1234));
    }

    [Fact]
    public void Json_is_readable_and_bad_json_says_what_is_wrong()
    {
        Assert.Equal("""{"kind":"warmup","steps":10,"then":{"kind":"step","learning_rate":0.5,"factor":0.5,"interval":100}}""",
            new StepDecay(0.5f, 0.5f, 100).WithWarmup(10).ToJson());
        Assert.Contains("Unknown learning-rate schedule kind \"linear\"", Assert.Throws<FormatException>(() => LearningRateSchedule.FromJson("""{"kind":"linear"}""")).Message);
        Assert.Contains("lacks the number \"factor\"", Assert.Throws<FormatException>(() => LearningRateSchedule.FromJson("""{"kind":"step","learning_rate":0.5,"interval":3}""")).Message);
        Assert.Contains("invalid parameter", Assert.Throws<FormatException>(() => LearningRateSchedule.FromJson("""{"kind":"constant","learning_rate":-1}""")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<FormatException>(() => LearningRateSchedule.FromJson("{kind")).Message);
    }

    [Fact]
    public void A_checkpoint_keeps_the_schedule_and_a_resumed_run_continues_exactly()
    {
        var train = TestData.Plane(120, 1);
        LearningRateSchedule schedule = new CosineAnnealing(0.05f, 30, 0.001f).WithWarmup(5);

        var straight = TestData.PlaneModel(2);
        var straightOptimizer = new Adam(straight.Parameters.Length, 1f) { Schedule = schedule };
        Trainer.Fit(straight, straightOptimizer, train, null, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 9 });

        var first = TestData.PlaneModel(2);
        var firstOptimizer = new Adam(first.Parameters.Length, 1f) { Schedule = schedule };
        var half = Trainer.Fit(first, firstOptimizer, train, null, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 9 });
        string path = Path.Combine(_directory, "half.agck");
        CheckpointFile.Save(path, Checkpoint.Capture("mlp 2-8-2 relu", first, firstOptimizer, half.LastEpoch));

        var checkpoint = CheckpointFile.Load(path);
        Assert.Equal(schedule, checkpoint.Optimizer!.Schedule);
        var resumed = Sequential.Perceptron(2, [8], 2);
        var resumedOptimizer = new Adam(resumed.Parameters.Length, 1f);
        checkpoint.RestoreInto(resumed, resumedOptimizer);
        Assert.Equal(schedule, resumedOptimizer.Schedule);
        Trainer.Fit(resumed, resumedOptimizer, train, null, new TrainingOptions { Epochs = 4, StartEpoch = checkpoint.Epoch, BatchSize = 16, Seed = 9 });

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(straightOptimizer.LearningRate, resumedOptimizer.LearningRate);
    }

    [Fact]
    public void A_version_1_checkpoint_without_a_schedule_still_loads()
    {
        var model = TestData.PlaneModel(1);
        var optimizer = new MomentumSgd(model.Parameters.Length, 0.1f);
        var version3 = CheckpointFile.Serialize(Checkpoint.Capture("mlp 2-8-2 relu", model, optimizer, 3));
        // Version 1 is version 3 without the schedule field (an empty string: four zero bytes) and the
        // run settings (none: the four-byte length 2 and "{}") before the checksum.
        const int settingsLength = 4 + 2;
        var body = version3.AsSpan(0, version3.Length - 32 - settingsLength - 4).ToArray();
        Assert.Equal(new byte[4], version3.AsSpan(version3.Length - 32 - settingsLength - 4, 4).ToArray());
        Assert.Equal("{}"u8.ToArray(), version3.AsSpan(version3.Length - 32 - 2, 2).ToArray());
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), body.Length + 32);
        string path = Path.Combine(_directory, "v1.agck");
        File.WriteAllBytes(path, [.. body, .. SHA256.HashData(body)]);

        var loaded = CheckpointFile.Load(path);
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters);
        Assert.Equal(("momentum", 0.1f, 3), (loaded.Optimizer!.Kind, loaded.Optimizer.LearningRate, loaded.Epoch));
        Assert.Null(loaded.Optimizer.Schedule);
    }
}
