using AutoGrad.Distributed;

namespace AutoGrad.NN;

/// <summary>One mini-batch: views into the <see cref="MiniBatcher"/>'s buffers, valid until the next <see cref="MiniBatcher.Batch(int)"/> call.</summary>
/// <param name="Inputs">The samples' features, <see cref="Size"/> × feature count, row-major.</param>
/// <param name="Labels">The samples' labels.</param>
/// <param name="Size">The number of samples; the last batch of an epoch may be smaller than the batch size.</param>
public readonly ref struct MiniBatch(ReadOnlySpan<float> Inputs, ReadOnlySpan<byte> Labels, int Size)
{
    /// <summary>The samples' features, <see cref="Size"/> × feature count, row-major.</summary>
    public ReadOnlySpan<float> Inputs { get; } = Inputs;

    /// <summary>The samples' labels.</summary>
    public ReadOnlySpan<byte> Labels { get; } = Labels;

    /// <summary>The number of samples.</summary>
    public int Size { get; } = Size;
}

/// <summary>
/// Cuts a <see cref="LabeledSet"/> into mini-batches in an order shuffled once per epoch.
/// The order of epoch e depends only on the seed and e, so a run resumed at epoch e sees the
/// same batches as one that never stopped. Batches are gathered into buffers allocated once,
/// so taking a batch allocates nothing.
/// </summary>
/// <example>
/// The explicit training loop, for when <see cref="Trainer.Fit"/> is not what you want:
/// <code>
/// var batches = new MiniBatcher(train, batchSize: 256, seed: 1);
/// var gradient = new float[model.Parameters.Length];
/// for (int epoch = 1; epoch &lt;= 10; epoch++)
/// {
///     batches.Shuffle(epoch);
///     for (int b = 0; b &lt; batches.BatchCount; b++)
///     {
///         var batch = batches.Batch(b);
///         float loss = model.LossAndGradient(batch.Inputs, batch.Labels, batch.Size, gradient);
///         optimizer.Step(model.Parameters, gradient);
///     }
/// }
/// </code>
/// </example>
public sealed class MiniBatcher
{
    private readonly LabeledSet _data;
    private readonly int[] _order;
    private readonly float[] _inputs;
    private readonly byte[] _labels;
    private readonly int _seed;

    /// <summary>Prepares batches of <paramref name="batchSize"/> samples (1: pattern by pattern; the set's size or more: one full batch).</summary>
    /// <param name="data">The samples.</param>
    /// <param name="batchSize">Samples per batch; clamped to the size of the set.</param>
    /// <param name="seed">Seeds the per-epoch shuffles.</param>
    /// <param name="shuffle">Whether to shuffle at all; without it every epoch visits the samples in order.</param>
    public MiniBatcher(LabeledSet data, int batchSize, int seed, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Count == 0) throw new ArgumentException("The data set is empty.", nameof(data));
        _data = data;
        _seed = seed;
        ShufflesEachEpoch = shuffle;
        BatchSize = Math.Min(batchSize, data.Count);
        BatchCount = (data.Count + BatchSize - 1) / BatchSize;
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        _inputs = new float[BatchSize * data.FeatureCount];
        _labels = new byte[BatchSize];
    }

    /// <summary>Samples per batch (all but possibly the last).</summary>
    public int BatchSize { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>Whether <see cref="Shuffle"/> permutes the samples.</summary>
    public bool ShufflesEachEpoch { get; }

    /// <summary>The sample order of the current epoch.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Sets the sample order for <paramref name="epoch"/>: a Fisher–Yates shuffle seeded by the seed and the epoch.</summary>
    /// <param name="epoch">The epoch number (any integer; the training loop counts from 1).</param>
    public void Shuffle(int epoch)
    {
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        if (!ShufflesEachEpoch) return;
        // Not HashCode.Combine: it is randomised per process, and the order must repeat across runs.
        var random = new Random(unchecked(_seed * 1_000_003 + epoch));
        random.Shuffle(_order);
    }

    /// <summary>The number of samples in batch <paramref name="index"/>: <see cref="BatchSize"/>, or fewer for the last batch.</summary>
    /// <param name="index">From 0 to <see cref="BatchCount"/> − 1.</param>
    public int SizeOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchCount);
        return Math.Min(BatchSize, _order.Length - index * BatchSize);
    }

    /// <summary>Gathers batch <paramref name="index"/> of the current order into the batch buffers.</summary>
    /// <param name="index">From 0 to <see cref="BatchCount"/> − 1.</param>
    public MiniBatch Batch(int index) => Batch(index, part: 0, parts: 1);

    /// <summary>
    /// Gathers only part <paramref name="part"/> of <paramref name="parts"/> of batch <paramref name="index"/>
    /// (a contiguous run of its samples, see <see cref="Share.Of"/>): a rank's slice of the global batch in
    /// data-parallel training. The parts of all ranks together are the whole batch.
    /// </summary>
    /// <param name="index">From 0 to <see cref="BatchCount"/> − 1.</param>
    /// <param name="part">Which part, from 0.</param>
    /// <param name="parts">Into how many parts the batch is cut.</param>
    public MiniBatch Batch(int index, int part, int parts)
    {
        var share = Share.Of(SizeOf(index), part, parts);
        int start = index * BatchSize + share.Start;
        int size = share.Count;
        int features = _data.FeatureCount;
        var source = _data.Features.AsSpan();
        for (int i = 0; i < size; i++)
        {
            int sample = _order[start + i];
            source.Slice(sample * features, features).CopyTo(_inputs.AsSpan(i * features, features));
            _labels[i] = _data.Labels[sample];
        }
        return new MiniBatch(_inputs.AsSpan(0, size * features), _labels.AsSpan(0, size), size);
    }
}
