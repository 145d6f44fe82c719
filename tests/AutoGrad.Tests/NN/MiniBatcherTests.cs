using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

public sealed class MiniBatcherTests
{
    private static readonly LabeledSet s_data = new(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), Enumerable.Range(0, 10).Select(i => (byte)i).ToArray(), 2);

    [Fact]
    public void Every_epoch_visits_every_sample_once_in_batches_with_a_smaller_last_one()
    {
        var batches = new MiniBatcher(s_data, batchSize: 4, seed: 1);
        Assert.Equal(3, batches.BatchCount);
        batches.Shuffle(1);
        var seen = new List<int>();
        for (int b = 0; b < batches.BatchCount; b++)
        {
            var batch = batches.Batch(b);
            Assert.Equal(b < 2 ? 4 : 2, batch.Size);
            for (int i = 0; i < batch.Size; i++)
            {
                int label = batch.Labels[i];
                Assert.Equal(2 * label, batch.Inputs[2 * i]); // features travel with their label
                seen.Add(label);
            }
        }
        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
    }

    [Fact]
    public void Shuffles_depend_only_on_seed_and_epoch()
    {
        int[] Order(int seed, int epoch)
        {
            var batches = new MiniBatcher(s_data, 3, seed);
            batches.Shuffle(epoch);
            return batches.Order.ToArray();
        }
        Assert.Equal(Order(1, 4), Order(1, 4));
        Assert.NotEqual(Order(1, 4), Order(1, 5));
        Assert.NotEqual(Order(1, 4), Order(2, 4));
        var reused = new MiniBatcher(s_data, 3, 1);
        reused.Shuffle(9);
        reused.Shuffle(4);
        Assert.Equal(Order(1, 4), reused.Order.ToArray());
    }

    [Fact]
    public void Batch_size_one_is_pattern_by_pattern_and_a_large_batch_is_the_full_set()
    {
        Assert.Equal(10, new MiniBatcher(s_data, 1, 0).BatchCount);
        var full = new MiniBatcher(s_data, 1000, 0, shuffle: false);
        Assert.Equal(1, full.BatchCount);
        full.Shuffle(3);
        Assert.Equal(s_data.Labels, full.Batch(0).Labels.ToArray());
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(4, 5)]
    [InlineData(1000, 4)]
    public void The_parts_of_a_batch_are_the_batch_in_order(int batchSize, int parts)
    {
        var batches = new MiniBatcher(s_data, batchSize, seed: 2);
        batches.Shuffle(1);
        for (int b = 0; b < batches.BatchCount; b++)
        {
            byte[] whole = batches.Batch(b).Labels.ToArray();
            Assert.Equal(whole.Length, batches.SizeOf(b));
            var joined = new List<byte>();
            for (int part = 0; part < parts; part++)
            {
                var slice = batches.Batch(b, part, parts);
                Assert.InRange(slice.Size, whole.Length / parts, (whole.Length + parts - 1) / parts);
                for (int i = 0; i < slice.Size; i++) Assert.Equal(2 * slice.Labels[i], slice.Inputs[2 * i]);
                joined.AddRange(slice.Labels.ToArray());
            }
            Assert.Equal(whole, joined);
        }
    }
}
