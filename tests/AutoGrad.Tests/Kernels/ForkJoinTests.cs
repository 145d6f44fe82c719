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
        int spin = ForkJoin.SpinMicroseconds;
        ForkJoin.SpinMicroseconds = 0; // workers sleep as soon as a job is done
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
        }

        // And back to spinning: back-to-back jobs still run every block once.
        for (int run = 0; run < 500; run++)
        {
            var job = new CountingJob(run % 9);
            RunWhenFree(pool, job, job.Counts.Length);
            Assert.All(job.Counts, count => Assert.Equal(1, count));
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
