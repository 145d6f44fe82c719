using AutoGrad.Distributed;

namespace AutoGrad.Tests.Distributed;

/// <summary>
/// Ranks as threads of this process: a real <see cref="ICommunicator"/> (values summed across
/// threads, in rank order, so every rank gets the same bits) that lets the data-parallel training
/// loop be tested without MPI. A rank that fails releases the others instead of leaving them waiting.
/// </summary>
internal sealed class ThreadGroup
{
    private readonly Barrier _barrier;
    private readonly Array[] _slots;
    private readonly CancellationTokenSource _failed = new();

    private ThreadGroup(int size)
    {
        _barrier = new Barrier(size);
        _slots = new Array[size];
    }

    /// <summary>Runs <paramref name="body"/> as ranks 0..<paramref name="size"/>-1, each on its own thread; returns each rank's result or exception.</summary>
    public static (T? Result, Exception? Error)[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var group = new ThreadGroup(size);
        var outcomes = new (T?, Exception?)[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try
            {
                outcomes[rank] = (body(new Member(group, rank, size)), null);
            }
            catch (Exception e)
            {
                outcomes[rank] = (default, e);
                group._failed.Cancel();
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a rank did not finish within two minutes");
        return outcomes;
    }

    /// <summary>Like <see cref="Run{T}"/>, failing if any rank failed.</summary>
    public static T[] RunAll<T>(int size, Func<ICommunicator, T> body) =>
        Run(size, body).Select((outcome, rank) => outcome.Error is null ? outcome.Result! : throw new InvalidOperationException($"rank {rank} failed", outcome.Error)).ToArray();

    private void Combine<T>(int rank, Span<T> values, Func<T, T, T> operation)
    {
        _slots[rank] = values.ToArray();
        Wait();
        var total = (T[])_slots[0];
        for (int i = 0; i < values.Length; i++)
        {
            T sum = total[i];
            for (int r = 1; r < _slots.Length; r++) sum = operation(sum, ((T[])_slots[r])[i]);
            values[i] = sum;
        }
        Wait();
    }

    private void Wait()
    {
        if (!_barrier.SignalAndWait(TimeSpan.FromSeconds(60), _failed.Token))
            throw new TimeoutException("The other ranks did not arrive within 60 s.");
    }

    private sealed class Member(ThreadGroup group, int rank, int size) : ICommunicator
    {
        public int Rank => rank;

        public int Size => size;

        public void SumInPlace(Span<float> values) => group.Combine(rank, values, (a, b) => a + b);

        public void SumInPlace(Span<double> values) => group.Combine(rank, values, (a, b) => a + b);

        public void MaxInPlace(Span<long> values) => group.Combine(rank, values, Math.Max);
    }
}
