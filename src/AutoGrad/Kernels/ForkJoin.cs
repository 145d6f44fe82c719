using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// <remarks>
/// A worker that has finished a job spins on the claim counter for <see cref="SpinMicroseconds"/>,
/// then polls it yielding its core for <see cref="YieldMicroseconds"/>, before it sleeps. Waking
/// a sleeping thread takes tens of microseconds (more in a virtual machine), longer than a whole matrix product of a small network's layer: with workers that
/// slept after every job, the caller had usually run every block itself by the time a worker
/// woke, and paid for the wake-up besides, so two cores were slower than one on small shapes.
/// A training step calls the kernels back to back, so a spinning worker is there for the next
/// call; the caller signals the semaphore only when a worker is actually asleep.
/// </remarks>
internal sealed class ForkJoin
{
    /// <summary>The shared instance, or null on a single core.</summary>
    public static ForkJoin? Shared { get; } = Environment.ProcessorCount > 1 ? new ForkJoin(Environment.ProcessorCount - 1) : null;

    /// <summary>
    /// How long an idle worker polls for the next job without yielding its core: longer than the
    /// gaps between the matrix products of a training step (the element-wise work between them).
    /// Settable for the benchmarks' <c>forkjoin</c> trace and the tests.
    /// </summary>
    internal static int SpinMicroseconds { get; set; } = 100;

    /// <summary>
    /// How long, after <see cref="SpinMicroseconds"/>, an idle worker goes on polling for the next job,
    /// yielding its core between polls, before it sleeps: about as long as OpenBLAS's threads do (they
    /// yield between polls for 2^28 cycles, about 0.1 s). A training loop pauses for milliseconds
    /// between steps (data, evaluation, another process's turn): a worker that had slept through such
    /// a pause was often woken on the caller's own core, where the two threads shared one core until
    /// the scheduler moved one, and the idle core came back slowly besides. In the turn-taking sessions
    /// of <c>compare-pytorch.sh</c> (PyTorch's turn about 40 ms), the seed MLP's Adam step on two cores
    /// took 420-529 us with workers that slept and 381-402 us with workers that yielded (2026-12-02, three
    /// sessions each), no faster than one core without it. A yielding worker gives its core to any other
    /// thread that wants it, but takes a share of a busy core: the environment variable
    /// <c>AUTOGRAD_WORKER_YIELD_US</c> sets the time at start-up (0: sleep after the spin, as OpenMP's
    /// passive wait policy). Settable for the tests and the benchmarks' <c>forkjoin</c> trace (0, with
    /// <see cref="SpinMicroseconds"/> 0: sleep at once).
    /// </summary>
    internal static int YieldMicroseconds { get; set; } = ParseYieldMicroseconds(Environment.GetEnvironmentVariable("AUTOGRAD_WORKER_YIELD_US"));

    /// <summary><see cref="YieldMicroseconds"/> from the environment variable's text (null: not set, 100 ms).</summary>
    internal static int ParseYieldMicroseconds(string? text)
    {
        const int Default = 100_000;
        if (text is null) return Default;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int microseconds)) return microseconds;
        throw new InvalidOperationException($"AUTOGRAD_WORKER_YIELD_US is '{text}'; expected a whole number of microseconds (0 to sleep as soon as the spin ends).");
    }

    private readonly int _workerCount;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private int _busy;
    private long _generation;

    /// <summary>Workers blocked (or about to block) on <see cref="_wake"/> that no caller has signalled yet.</summary>
    private int _sleepers;

    /// <summary>
    /// The job's generation (high half) and next unclaimed block (low half). Claiming a block
    /// is a compare-and-swap of the whole value, so it fails if a new job has been installed
    /// since the claimant read the job's fields: no thread runs a block of the wrong job.
    /// </summary>
    private long _claim = Closed;
    private IBlockJob? _job;
    private int _blockCount;
    private int _completedBlocks;
    private int _workerBlocks;
    private ExceptionDispatchInfo? _failure;
    private Counters _counters;

    /// <summary>A low half no block number reaches: nothing can be claimed.</summary>
    private const long Closed = int.MaxValue;

    /// <summary>How long the caller polls for the workers' last blocks before it blocks: they are running, so this is short.</summary>
    private const int CallerSpinMicroseconds = 200;

    private ForkJoin(int workerCount)
    {
        _workerCount = workerCount;
        // ManualResetEventSlim allocates its lock object the first time a thread blocks on it:
        // make that happen here (a 1 ms wait, once) rather than inside a zero-allocation training step.
        _done.Wait(1);
        for (int i = 0; i < workerCount; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"AutoGrad kernel worker {i + 1}" }.Start();
    }

    /// <summary>Totals since the process started, for the benchmarks' <c>forkjoin</c> trace; kept by the caller, off the per-block path.</summary>
    public readonly record struct Counters(long Jobs, long JobsJoined, long Blocks, long WorkerBlocks, long Wakes);

    /// <summary>The totals so far (read them between calls).</summary>
    public Counters Totals => _counters;

    /// <summary>
    /// Runs blocks 0 to <paramref name="blockCount"/> - 1 of <paramref name="job"/> and returns
    /// when all are done; returns false, having run nothing, when another call holds the
    /// workers, so that the caller runs the job itself instead of waiting.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRun(IBlockJob job, int blockCount)
    {
        if (blockCount <= 0) return true;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        int wakes = 0;
        try
        {
            long generation = ++_generation << 32;
            // A full fence, so the fields below cannot be seen changed while the last job's
            // claim value, which a slow claimant may still hold, stands.
            Interlocked.Exchange(ref _claim, generation | Closed);
            _job = job;
            _blockCount = blockCount;
            _completedBlocks = 0;
            _workerBlocks = 0;
            _failure = null;
            _done.Reset();
            // Opening the claims publishes the job: a thread that claims a block sees every
            // field written above. It is also a full fence, so the read of _sleepers below
            // cannot move before it: a worker that counts itself a sleeper and then finds no
            // open job is seen here and signalled.
            //
            // Block 0 is the caller's and the workers claim from block 1, so that a job cut into one
            // block per thread gives each the same share on every call: what a share of the
            // training step writes is in that core's cache when the next job reads it.
            Interlocked.Exchange(ref _claim, generation | 1);
            if (blockCount > 1) wakes = WakeSleepers(Math.Min(_workerCount, blockCount - 1));
            RunBlock(job, 0, blockCount, isWorker: false);
            RunBlocks(isWorker: false);
            WaitForBlocks(blockCount);
            _failure?.Throw();
            return true;
        }
        finally
        {
            Interlocked.Exchange(ref _claim, Closed);
            _counters = new Counters(_counters.Jobs + 1, _counters.JobsJoined + (_workerBlocks > 0 ? 1 : 0),
                _counters.Blocks + blockCount, _counters.WorkerBlocks + _workerBlocks, _counters.Wakes + wakes);
            _job = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Signals up to <paramref name="wanted"/> sleeping workers, taking them off the sleeper count; returns how many.</summary>
    private int WakeSleepers(int wanted)
    {
        while (true)
        {
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers == 0) return 0;
            int woken = Math.Min(sleepers, wanted);
            if (Interlocked.CompareExchange(ref _sleepers, sleepers - woken, sleepers) != sleepers) continue;
            _wake.Release(woken);
            return woken;
        }
    }

    /// <summary>
    /// Polls for the blocks the workers still run, then blocks on the done event if they take long (a worker kept
    /// off its core). Only the count says the blocks are done: the event may have been set by the last job's last
    /// worker after that job's caller had seen its count and returned, so a set event is cleared and the count
    /// read again before each wait (a block finished after the clear sets it again).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WaitForBlocks(int blockCount)
    {
        long deadline = Stopwatch.GetTimestamp() + CallerSpinMicroseconds * Stopwatch.Frequency / 1_000_000;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _completedBlocks) != blockCount)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                _done.Reset();
                if (Volatile.Read(ref _completedBlocks) == blockCount) return;
                _done.Wait();
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunBlocks(bool isWorker)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            var job = _job;
            int blockCount = _blockCount;
            int block = (int)(claim & int.MaxValue);
            if (job is null || block >= blockCount) return;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            RunBlock(job, block, blockCount, isWorker);
        }
    }

    private void RunBlock(IBlockJob job, int block, int blockCount, bool isWorker)
    {
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
            // Counted before the block is marked done, so the caller's totals include it.
            if (isWorker) Interlocked.Increment(ref _workerBlocks);
            if (Interlocked.Increment(ref _completedBlocks) == blockCount) _done.Set();
        }
    }

    /// <summary>
    /// Whether a job holds the workers: a kernel called from inside a job (a core's shard of a
    /// training step) then takes its one-thread path, as <see cref="TryRun"/> would refuse it.
    /// </summary>
    public bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>The number of threads that run a job's blocks: the caller and the workers.</summary>
    public int Threads => _workerCount + 1;

    /// <summary>
    /// Where share <paramref name="part"/> of <paramref name="parts"/> of <paramref name="length"/>
    /// floats starts (the end, for part = parts): shares as equal as whole 64-byte lines allow, so
    /// two jobs that cut the same vector the same way give each thread the same elements, and no
    /// line of an aligned vector is written by two threads.
    /// </summary>
    public static int ShareStart(int part, int parts, int length)
    {
        const int Line = 16;
        if (part >= parts) return length;
        int lines = (length + Line - 1) / Line;
        return Math.Min(length, (int)((long)lines * part / parts) * Line);
    }

    /// <summary>True when a job is installed with blocks left to claim.</summary>
    private bool HasOpenBlocks()
    {
        long claim = Volatile.Read(ref _claim);
        return (claim & int.MaxValue) < Volatile.Read(ref _blockCount) && Volatile.Read(ref _job) is not null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WorkerLoop()
    {
        while (true)
        {
            // Poll for the next job for a while: the next matrix product usually follows within
            // microseconds, the next training step within milliseconds.
            long idleSince = Stopwatch.GetTimestamp();
            while (true)
            {
                if (HasOpenBlocks())
                {
                    RunBlocks(isWorker: true);
                    idleSince = Stopwatch.GetTimestamp();
                    continue;
                }
                long idleMicroseconds = (Stopwatch.GetTimestamp() - idleSince) * 1_000_000 / Stopwatch.Frequency;
                if (idleMicroseconds <= SpinMicroseconds) Thread.SpinWait(8);
                else if (idleMicroseconds <= SpinMicroseconds + YieldMicroseconds) Thread.Yield();
                else break;
            }

            // Sleep: count as a sleeper first (a full fence), then look once more, so a caller that
            // opened a job before seeing the count is not missed.
            Interlocked.Increment(ref _sleepers);
            if (HasOpenBlocks() && TryUncountSleeper())
                continue;
            // Either no job was open, or a caller took this worker off the count and signalled it:
            // then the wait returns at once.
            _wake.Wait();
        }
    }

    /// <summary>Takes this worker off the sleeper count, unless a caller already did (and signalled the semaphore).</summary>
    private bool TryUncountSleeper()
    {
        while (true)
        {
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers == 0) return false;
            if (Interlocked.CompareExchange(ref _sleepers, sleepers - 1, sleepers) == sleepers) return true;
        }
    }
}
