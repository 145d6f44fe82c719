using System.Runtime.ExceptionServices;

namespace AutoGrad.Kernels;

/// <summary>A job cut into numbered blocks that may run in any order on any thread.</summary>
internal interface IBlockJob
{
    void RunBlock(int block);
}

/// <summary>
/// Runs the blocks of one job on the calling thread and on dedicated worker threads, one per
/// further core, which all claim blocks from a shared counter. Unlike
/// <see cref="Parallel.For(int, int, Action{int})"/>, which allocates one to two kilobytes per
/// call, a call allocates nothing: a training loop multiplies matrices thousands of times a
/// second. The caller waits for the blocks, not for the workers, so a worker that another
/// process keeps off its core delays nothing; it joins whichever job is current when it wakes.
/// </summary>
internal sealed class ForkJoin
{
    /// <summary>The shared instance, or null on a single core.</summary>
    public static ForkJoin? Shared { get; } = Environment.ProcessorCount > 1 ? new ForkJoin(Environment.ProcessorCount - 1) : null;

    private readonly int _workerCount;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private int _busy;
    private long _generation;

    /// <summary>
    /// The job's generation (high half) and next unclaimed block (low half). Claiming a block
    /// is a compare-and-swap of the whole value, so it fails if a new job has been installed
    /// since the claimant read the job's fields: no thread runs a block of the wrong job.
    /// </summary>
    private long _claim = Closed;
    private IBlockJob? _job;
    private int _blockCount;
    private int _completedBlocks;
    private ExceptionDispatchInfo? _failure;

    /// <summary>A low half no block number reaches: nothing can be claimed.</summary>
    private const long Closed = int.MaxValue;

    private ForkJoin(int workerCount)
    {
        _workerCount = workerCount;
        // ManualResetEventSlim allocates its lock object the first time a thread blocks on it:
        // make that happen here (a 1 ms wait, once) rather than inside a zero-allocation training step.
        _done.Wait(1);
        for (int i = 0; i < workerCount; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"AutoGrad kernel worker {i + 1}" }.Start();
    }

    /// <summary>
    /// Runs blocks 0 to <paramref name="blockCount"/> - 1 of <paramref name="job"/> and returns
    /// when all are done; returns false, having run nothing, when another call holds the
    /// workers, so that the caller runs the job itself instead of waiting.
    /// </summary>
    public bool TryRun(IBlockJob job, int blockCount)
    {
        if (blockCount <= 0) return true;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            long generation = ++_generation << 32;
            // A full fence, so the fields below cannot be seen changed while the last job's
            // claim value, which a slow claimant may still hold, stands.
            Interlocked.Exchange(ref _claim, generation | Closed);
            _job = job;
            _blockCount = blockCount;
            _completedBlocks = 0;
            _failure = null;
            _done.Reset();
            // Opening the claims publishes the job: a thread that claims a block sees every
            // field written above.
            Interlocked.Exchange(ref _claim, generation);
            if (blockCount > 1) _wake.Release(Math.Min(_workerCount, blockCount - 1));
            RunBlocks();
            _done.Wait();
            _failure?.Throw();
            return true;
        }
        finally
        {
            Interlocked.Exchange(ref _claim, Closed);
            _job = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    private void RunBlocks()
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            var job = _job;
            int blockCount = _blockCount;
            int block = (int)(claim & int.MaxValue);
            if (job is null || block >= blockCount) return;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            try
            {
                job.RunBlock(block);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Increment(ref _completedBlocks) == blockCount) _done.Set();
            }
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _wake.Wait();
            RunBlocks();
        }
    }
}
