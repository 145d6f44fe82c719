using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

public class ForkJoinTests
{
    [Fact]
    public void Runs_every_block_exactly_once()
    {
        var pool = ForkJoin.Shared;
        if (pool is null) return; // A single core has no workers to test.
        var random = new Random(1);
        for (int run = 0; run < 2000; run++)
        {
            var job = new CountingJob(random.Next(0, 40));

            RunWhenFree(pool, job, job.Counts.Length);

            Assert.All(job.Counts, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void The_caller_runs_block_zero_so_a_job_of_one_block_per_thread_splits_the_same_way_every_call()
    {
        var pool = ForkJoin.Shared;
        if (pool is null) return;
        for (int run = 0; run < 500; run++)
        {
            var job = new ThreadRecordingJob(pool.Threads);
            RunWhenFree(pool, job, pool.Threads);
            Assert.Equal(Environment.CurrentManagedThreadId, job.Threads[0]);
        }
    }

    [Theory]
    [InlineData(59210, 2)]
    [InlineData(17, 2)]
    [InlineData(100, 3)]
    [InlineData(0, 2)]
    [InlineData(5, 4)]
    public void Shares_are_whole_cache_lines_that_cover_the_vector_once(int length, int parts)
    {
        Assert.Equal(0, ForkJoin.ShareStart(0, parts, length));
        Assert.Equal(length, ForkJoin.ShareStart(parts, parts, length));
        for (int part = 0; part < parts; part++)
        {
            int start = ForkJoin.ShareStart(part, parts, length), end = ForkJoin.ShareStart(part + 1, parts, length);
            Assert.True(start <= end, $"share {part} runs backwards");
            Assert.True(start % 16 == 0 || start == length, $"share {part} starts mid-line at {start}");
            Assert.True(end - start <= (length + 15) / 16 / parts * 16 + 16, $"share {part} holds {end - start} of {length}");
        }
    }

    [Fact]
    public void The_yielding_time_comes_from_the_environment_or_is_a_tenth_of_a_second()
    {
        Assert.Equal(100_000, ForkJoin.ParseYieldMicroseconds(null));
        Assert.Equal(0, ForkJoin.ParseYieldMicroseconds("0"));
        Assert.Equal(2500, ForkJoin.ParseYieldMicroseconds("2500"));
        foreach (string bad in new[] { "", "-5", "1e3", "abc", "10 ms" })
        {
            var error = Assert.Throws<InvalidOperationException>(() => ForkJoin.ParseYieldMicroseconds(bad));
            Assert.Contains("AUTOGRAD_WORKER_YIELD_US", error.Message);
        }
    }

    private sealed class ThreadRecordingJob(int blocks) : IBlockJob
    {
        public int[] Threads { get; } = new int[blocks];

        public void RunBlock(int block) => Threads[block] = Environment.CurrentManagedThreadId;
    }

    [Fact]
    public void Concurrent_callers_either_share_the_workers_or_are_turned_away()
    {
        var pool = ForkJoin.Shared;
        if (pool is null) return;
        Parallel.For(0, 4, _ =>
        {
            for (int run = 0; run < 300; run++)
            {
                var job = new CountingJob(16);
                if (!pool.TryRun(job, job.Counts.Length))
                {
                    Assert.All(job.Counts, count => Assert.Equal(0, count));
                    continue;
                }
                Assert.All(job.Counts, count => Assert.Equal(1, count));
            }
        });
    }

    [Fact]
    public void A_failing_block_fails_the_call_and_leaves_the_workers_usable()
    {
        var pool = ForkJoin.Shared;
        if (pool is null) return;

        Assert.Throws<InvalidOperationException>(() => RunWhenFree(pool, new FailingJob(), 8));

        var job = new CountingJob(8);
        RunWhenFree(pool, job, job.Counts.Length);
        Assert.All(job.Counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Wakes_sleeping_workers_and_runs_every_block()
    {
        var pool = ForkJoin.Shared;
        if (pool is null) return;
        int spin = ForkJoin.SpinMicroseconds, yielding = ForkJoin.YieldMicroseconds;
        ForkJoin.SpinMicroseconds = 0; // workers sleep as soon as a job is done
        ForkJoin.YieldMicroseconds = 0;
        try
        {
            long wakesBefore = pool.Totals.Wakes;
            for (int run = 0; run < 200 && pool.Totals.Wakes == wakesBefore; run++)
            {
                Thread.Sleep(2); // time for the workers to fall asleep
                var job = new CountingJob(8);
                RunWhenFree(pool, job, job.Counts.Length);
                Assert.All(job.Counts, count => Assert.Equal(1, count));
            }
            Assert.True(pool.Totals.Wakes > wakesBefore, "no job found a sleeping worker to wake");
        }
        finally
        {
            ForkJoin.SpinMicroseconds = spin;
            ForkJoin.YieldMicroseconds = yielding;
        }

        // And back to spinning: back-to-back jobs still run every block once.
        for (int run = 0; run < 500; run++)
        {
            var job = new CountingJob(run % 9);
            RunWhenFree(pool, job, job.Counts.Length);
            Assert.All(job.Counts, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void A_done_signal_left_over_from_the_last_job_does_not_end_the_wait()
    {
        // The last job's last worker signals "done" after incrementing the count, so its caller may have returned
        // before the signal: the next caller, blocking after its spin, must not take that signal for its own.
        // Here the caller's block raises the signal itself while a worker's block is still running (3 ms, past
        // the caller's spin); TryRun must not return before the worker's block has finished.
        var pool = ForkJoin.Shared;
        if (pool is null) return;
        var done = (ManualResetEventSlim)typeof(ForkJoin).GetField("_done", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(pool)!;
        int workerBlocks = 0;
        for (int run = 0; run < 200 && workerBlocks < 20; run++)
        {
            var job = new StaleSignalJob(Environment.CurrentManagedThreadId, done);
            RunWhenFree(pool, job, 2);
            Assert.Equal(job.WorkerBlocksStarted, Volatile.Read(ref job.WorkerBlocksFinished));
            workerBlocks += job.WorkerBlocksStarted;
        }
        Assert.True(workerBlocks > 0, "no worker ever took a block");
    }

    private sealed class StaleSignalJob(int caller, ManualResetEventSlim done) : IBlockJob
    {
        public int WorkerBlocksStarted;
        public int WorkerBlocksFinished;

        public void RunBlock(int block)
        {
            if (Environment.CurrentManagedThreadId == caller)
            {
                done.Set();
                Thread.Sleep(1); // time for a worker to claim the other block
                return;
            }
            Interlocked.Increment(ref WorkerBlocksStarted);
            Thread.Sleep(3);
            Interlocked.Increment(ref WorkerBlocksFinished);
        }
    }

    /// <summary>Retries while other tests' matrix products hold the shared workers.</summary>
    private static void RunWhenFree(ForkJoin pool, IBlockJob job, int blockCount)
    {
        while (!pool.TryRun(job, blockCount)) Thread.Yield();
    }

    private sealed class CountingJob(int blocks) : IBlockJob
    {
        public int[] Counts { get; } = new int[blocks];

        public void RunBlock(int block)
        {
            Thread.SpinWait(50);
            Interlocked.Increment(ref Counts[block]);
        }
    }

    private sealed class FailingJob : IBlockJob
    {
        public void RunBlock(int block)
        {
            if (block == 5) throw new InvalidOperationException("block 5");
        }
    }
}
