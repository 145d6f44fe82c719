using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AutoGrad.NN;

namespace AutoGrad.Distributed;

/// <summary>
/// What <see cref="Trainer.Fit"/> does differently when it trains on several ranks: each rank
/// computes the gradient of its own slice of every global batch, and one in-place sum over all
/// ranks per step turns the slices' gradients into the global batch's, so every rank takes the
/// same optimizer step on the same model. Accuracies are counted on slices and summed the same
/// way. Because every rank sees the same sums, every rank makes the same decisions (stopping,
/// rolling back) without further messages.
/// </summary>
internal sealed class DataParallel
{
    private readonly ICommunicator _communicator;
    private readonly TrainingSession _session;
    private readonly int _parameterCount;

    /// <summary>The weighted gradient, then the weighted loss, then the number of ranks asked to stop: one buffer, so one allreduce per step.</summary>
    private readonly float[] _reduced;
    private readonly double[] _correct = new double[1];
    private readonly long[] _replicaCheck = new long[2];
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _communicationTicks;

    public DataParallel(ICommunicator communicator, TrainingSession session)
    {
        if (communicator.Size < 1 || communicator.Rank < 0 || communicator.Rank >= communicator.Size)
            throw new ArgumentException($"The communicator says rank {communicator.Rank} of {communicator.Size}.", nameof(communicator));
        _communicator = communicator;
        _session = session;
        _parameterCount = session.HostGradient.Length;
        _reduced = new float[_parameterCount + 2];
    }

    /// <summary>Time spent in the per-step sums, waiting for slower ranks included.</summary>
    public TimeSpan CommunicationTime => Stopwatch.GetElapsedTime(0, _communicationTicks);

    /// <summary>
    /// Turns this rank's mean loss and gradient over its slice of a global batch into the whole batch's, on
    /// every rank: each slice's mean is weighted by the slice's share of the batch, so the sum is the mean over
    /// the batch that one process would compute. The summed gradient replaces the session's.
    /// </summary>
    /// <param name="loss">The mean loss over this rank's slice (anything when the slice is empty).</param>
    /// <param name="sliceSize">Samples in this rank's slice; may be zero when the batch has fewer samples than there are ranks.</param>
    /// <param name="batchSize">Samples in the global batch.</param>
    /// <param name="cancel">In: whether this rank was asked to stop. Out: whether any rank was, so all stop at the same step.</param>
    /// <returns>The mean loss over the global batch.</returns>
    public float Sum(float loss, int sliceSize, int batchSize, ref bool cancel)
    {
        var gradient = _session.HostGradient;
        var weighted = _reduced.AsSpan(0, _parameterCount);
        float weight = (float)sliceSize / batchSize;
        // An empty slice computed nothing: the session's buffer still holds the last step's gradient.
        if (sliceSize > 0) TensorPrimitives.Multiply(gradient, weight, weighted);
        else weighted.Clear();
        _reduced[_parameterCount] = sliceSize > 0 ? weight * loss : 0;
        _reduced[_parameterCount + 1] = cancel ? 1 : 0;
        long start = Stopwatch.GetTimestamp();
        _communicator.SumInPlace(_reduced);
        _communicationTicks += Stopwatch.GetTimestamp() - start;
        weighted.CopyTo(gradient);
        cancel = _reduced[_parameterCount + 1] > 0;
        return _reduced[_parameterCount];
    }

    /// <summary>The accuracy on <paramref name="data"/>: each rank counts its share of the samples, the counts are summed.</summary>
    public double Accuracy(Evaluator evaluator, LabeledSet data)
    {
        var share = Share.Of(data.Count, _communicator.Rank, _communicator.Size);
        _correct[0] = evaluator.CountCorrect(data, share.Start, share.Count);
        _communicator.SumInPlace(_correct);
        return data.Count == 0 ? 0 : _correct[0] / data.Count;
    }

    /// <summary>
    /// Before the first step: fails on every rank, naming what differs, unless all ranks hold the same
    /// model, optimizer state, data and options. Sizes are compared before anything of a
    /// size-dependent length is summed, so a mismatch is an error message, not a hang.
    /// </summary>
    public void CheckAgreement(ITrainableModel model, Optimizer optimizer, LabeledSet train, LabeledSet? validation, TrainingOptions options)
    {
        (string What, long Value)[] facts =
        [
            ("the model's shape (inputs, outputs, parameters)", Digest([model.InputSize, model.OutputSize, model.Parameters.Length])),
            ("the model's parameters", Digest(model.Parameters)),
            ("the optimizer (kind, learning rate, steps taken, state)", OptimizerDigest(optimizer)),
            ("the training data", SetDigest(train)),
            ("the validation data", validation is null ? 0 : SetDigest(validation)),
            ("the batch size, seed and shuffling", Digest([options.BatchSize, options.Seed, options.Shuffle ? 1 : 0])),
            ("the epochs to train", Digest([options.StartEpoch, options.Epochs])),
            ("the stopping criteria", Digest([
                options.PlateauPatience ?? -1, options.PlateauMinDelta, options.TargetValidationAccuracy ?? -1,
                options.GradientNormEpsilon ?? -1, options.MeasureTrainAccuracy ? 1 : 0])),
        ];
        var values = facts.Select(f => f.Value).ToArray();
        var differing = Disagreements(values);
        if (differing.Count == 0) return;
        throw new ReplicaMismatchException(
            $"The {_communicator.Size} ranks disagree on {string.Join(", ", differing.Select(i => facts[i].What))}. " +
            "Data-parallel ranks must start from the same model, optimizer, data and options: run the same program with the same arguments and the same files on every rank.");
    }

    /// <summary>After an epoch: fails on every rank if the replicas have drifted apart, which would make the run a different one on each rank.</summary>
    public void CheckReplicas(ITrainableModel model, Optimizer optimizer, int epoch)
    {
        Append<float>(model.Parameters);
        AppendOptimizer(optimizer);
        _replicaCheck[0] = Finish();
        _replicaCheck[1] = ~_replicaCheck[0];
        _communicator.MaxInPlace(_replicaCheck);
        if (_replicaCheck[0] == ~_replicaCheck[1]) return;
        throw new ReplicaMismatchException(
            $"After epoch {epoch} the {_communicator.Size} ranks hold different parameters or optimizer states, although they took the same summed steps. " +
            "Something changed the model or optimizer on some ranks only (a callback, or another thread); change them on every rank alike.");
    }

    /// <summary>Which of <paramref name="values"/> differ between ranks: one max over the values and their complements gives every rank both the largest and the smallest.</summary>
    private List<int> Disagreements(long[] values)
    {
        var extremes = new long[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            extremes[i] = values[i];
            extremes[values.Length + i] = ~values[i];
        }
        _communicator.MaxInPlace(extremes);
        var differing = new List<int>();
        for (int i = 0; i < values.Length; i++)
        {
            if (extremes[i] != ~extremes[values.Length + i]) differing.Add(i);
        }
        return differing;
    }

    private long SetDigest(LabeledSet set)
    {
        Append<int>([set.Count, set.FeatureCount]);
        Append<float>(set.Features);
        Append<byte>(set.Labels);
        return Finish();
    }

    private long OptimizerDigest(Optimizer optimizer)
    {
        AppendOptimizer(optimizer);
        return Finish();
    }

    private void AppendOptimizer(Optimizer optimizer)
    {
        Append<char>(optimizer.Kind);
        Append<double>([optimizer.LearningRate, optimizer.StepCount]);
        var state = optimizer.State;
        for (int i = 0; i < state.Count; i++) Append<float>(state[i]);
    }

    private long Digest(ReadOnlySpan<double> numbers)
    {
        Append(numbers);
        return Finish();
    }

    private long Digest(ReadOnlySpan<float> values)
    {
        Append(values);
        return Finish();
    }

    private void Append<T>(ReadOnlySpan<T> values) where T : unmanaged => _hash.AppendData(MemoryMarshal.AsBytes(values));

    private long Finish()
    {
        Span<byte> digest = stackalloc byte[32];
        _hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }
}
