using System.Numerics;
using AutoGrad.Kernels;
using static AutoGrad.Tests.Kernels.MatMulTests;

namespace AutoGrad.Tests.Kernels;

/// <summary>Runs alone: it sets the kernel's worker count and share trace, which every product in the process reads.</summary>
[CollectionDefinition(nameof(MatMulSplitTests), DisableParallelization = true)]
public class MatMulSplitCollection;

/// <summary>
/// How a product is split between the fork-join's workers: for a short C (rows within one L2
/// block), one share per worker, equal to within a panel; the values those shares compute,
/// bit for bit the one-thread path's. The split is forced on any machine (two or three workers,
/// any size), whichever threads end up running the shares.
/// </summary>
[Collection(nameof(MatMulSplitTests))]
public class MatMulSplitTests
{
    /// <summary>
    /// The seed MLP's first layer at batch 256: the weight gradient dW = dyᵀ·x (64 × 256 × 784,
    /// split by its 784 columns) and the forward product y = x·Wᵀ (256 × 784 × 64, split by its
    /// 256 rows): two shares that cover C once, their multiply-adds within 5% of each other.
    /// </summary>
    [Theory]
    [InlineData(Variant.AtB, 64, 256, 784, true)]
    [InlineData(Variant.ABt, 256, 784, 64, false)]
    public void Splits_the_first_layer_into_two_equal_shares(Variant variant, int m, int k, int n, bool byColumns)
    {
        var shares = TraceShares(variant, m, k, n, workers: 2);

        // With AVX2 (DOTNET_EnableAVX512=0 in .ci/run) an L2 block holds fewer rows: past it the product keeps
        // the blocked split and takes no shares.
        if (m > BlockedGemm<float>.Mc)
        {
            Assert.Empty(shares);
            return;
        }
        Assert.Equal(2, shares.Count);
        long[] multiplyAdds = [.. shares.Select(s => (long)s.Rows * s.Columns * k)];
        Assert.Equal((long)m * k * n, multiplyAdds.Sum());
        Assert.True(multiplyAdds.Max() <= 1.05 * multiplyAdds.Min(), $"multiply-adds per share: {string.Join(", ", multiplyAdds)}");
        Assert.All(shares, s => Assert.Equal(byColumns ? m : n, byColumns ? s.Rows : s.Columns));
        var covered = new int[m * n];
        foreach (var s in shares)
        {
            for (int i = s.FirstRow; i < s.FirstRow + s.Rows; i++)
                for (int j = s.FirstColumn; j < s.FirstColumn + s.Columns; j++) covered[i * n + j]++;
        }
        Assert.All(covered, count => Assert.Equal(1, count));
    }

    public static TheoryData<Variant, int, int, int> SplitShapes()
    {
        var data = new TheoryData<Variant, int, int, int>();
        foreach (var variant in Enum.GetValues<Variant>())
        {
            // By columns (more panels than row tiles), B read in place or packed, ragged last panel;
            // by rows, with a ragged last row tile; the first layer's shapes; too small to split.
            data.Add(variant, 64, 256, 784);
            data.Add(variant, 256, 784, 64);
            data.Add(variant, 13, 37, 272);
            data.Add(variant, 33, 517, 45);
            data.Add(variant, 70, 555, 40);
            data.Add(variant, 10, 333, 700);
            data.Add(variant, 7, 40, 20);
        }
        return data;
    }

    /// <summary>Split between 2 and 3 workers, a product equals the one-thread path's bit for bit, overwriting and accumulating.</summary>
    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void Shares_compute_the_one_thread_values(Variant variant, int m, int k, int n)
    {
        Same<float>(variant, m, k, n);
        Same<double>(variant, m, k, n);
    }

    private static void Same<T>(Variant variant, int m, int k, int n) where T : IFloatingPointIeee754<T>
    {
        var a = KernelAssert.Random<T>(m * k, seed: m * 31 + k);
        // Pinned: where B's rows start past a 64-byte boundary the kernel computes those first columns as a narrow
        // product of their own, which rounds differently; a collection between the one-thread call and the split
        // one could move B to another alignment (1 in about 70 runs of 13 x 37 x 272 failed so).
        var b = GC.AllocateArray<T>(k * n, pinned: true);
        KernelAssert.Random<T>(k * n, seed: k * 17 + n).CopyTo(b, 0);
        var otherB = KernelAssert.Random<T>(k * n, seed: k * 17 + n + 1);
        var initial = KernelAssert.Random<T>(m * n, seed: n * 7 + m);
        foreach (bool accumulate in new[] { false, true })
        {
            var oneThread = (T[])initial.Clone();
            WithSplit(1, long.MaxValue, () => Multiply(variant, a, b, oneThread, m, k, n, accumulate));
            var expected = (T[])initial.Clone();
            MatMulReference.Multiply<T>(a, variant == Variant.AtB, b, variant == Variant.ABt, expected, m, k, n, accumulate);
            KernelAssert.Close<T>(expected, oneThread, (k + 2) * KernelAssert.Epsilon<T>(), $"one thread {variant} {m}x{k}x{n}");
            foreach (int workers in new[] { 2, 3 })
            {
                // Another B through this thread's packing buffer first, so a share that failed to
                // pack its panels would read that B's, not the one-thread call's.
                WithSplit(1, long.MaxValue, () => Multiply(variant, a, otherB, new T[m * n], m, k, n, accumulate: false));
                var split = (T[])initial.Clone();
                WithSplit(workers, 1, () => Multiply(variant, a, b, split, m, k, n, accumulate));
                Assert.True(oneThread.AsSpan().SequenceEqual(split), $"{typeof(T).Name} {variant} {m}x{k}x{n} accumulate={accumulate}: {workers} workers differ from one thread");
            }
        }
    }

    /// <summary>
    /// Where B lies does not change the values: a row-major B whose rows start past a 64-byte boundary has its first
    /// columns computed as a narrow product of their own, whose tiles must round as the full tiles do (with AVX-512
    /// the narrow tile once loaded C before its multiply-adds, the full one added it after: accumulating products
    /// differed by up to 232 ulps depending on B's address). Every start of B within a cache line, one thread.
    /// </summary>
    [Theory]
    [InlineData(Variant.AtB, 13, 37, 272)]
    [InlineData(Variant.AB, 10, 256, 784)]
    [InlineData(Variant.AtB, 64, 256, 784)]
    public void Values_do_not_depend_on_where_B_lies(Variant variant, int m, int k, int n)
    {
        var a = KernelAssert.Random<float>(m * k, seed: 5);
        var b = KernelAssert.Random<float>(k * n, seed: 6);
        var initial = KernelAssert.Random<float>(m * n, seed: 7);
        var lines = GC.AllocateArray<float>(k * n + 16, pinned: true);
        foreach (bool accumulate in new[] { false, true })
        {
            float[]? first = null;
            for (int offset = 0; offset < 16; offset++)
            {
                var placed = lines.AsSpan(offset, k * n);
                b.CopyTo(placed);
                var c = (float[])initial.Clone();
                WithSplit(1, long.MaxValue, () =>
                {
                    switch (variant)
                    {
                        case Variant.AB: MatMul.Multiply(a, lines.AsSpan(offset, k * n), c, m, k, n, accumulate); break;
                        default: MatMul.MultiplyTransposedA(a, lines.AsSpan(offset, k * n), c, m, k, n, accumulate); break;
                    }
                });
                first ??= c;
                Assert.True(first.AsSpan().SequenceEqual(c), $"{variant} {m}x{k}x{n} accumulate={accumulate}: B {offset} floats into a line differs from B at the line's start");
            }
        }
    }

    private readonly record struct Share(int Part, int FirstRow, int Rows, int FirstColumn, int Columns);

    private static List<Share> TraceShares(Variant variant, int m, int k, int n, int workers)
    {
        // B aligned to 64 bytes, so no columns go to a narrow product of their own first.
        var a = KernelAssert.Random<float>(m * k, seed: 1);
        var b = GC.AllocateArray<float>(k * n + 16, pinned: true);
        int bStart = AlignedStart(b);
        KernelAssert.Random<float>(k * n, seed: 2).CopyTo(b, bStart);
        var c = new float[m * n];
        var shares = new List<Share>();
        BlockedGemm<float>.ShareTrace = (part, firstRow, rows, firstColumn, columns) =>
        {
            lock (shares) shares.Add(new Share(part, firstRow, rows, firstColumn, columns));
        };
        try
        {
            WithSplit(workers, BlockedGemm<float>.ParallelThreshold, () =>
            {
                var bAligned = b.AsSpan(bStart, k * n);
                switch (variant)
                {
                    case Variant.AB: MatMul.Multiply(a, bAligned, c, m, k, n); break;
                    case Variant.ABt: MatMul.MultiplyTransposedB(a, bAligned, c, m, k, n); break;
                    default: MatMul.MultiplyTransposedA(a, bAligned, c, m, k, n); break;
                }
            });
        }
        finally
        {
            BlockedGemm<float>.ShareTrace = null;
        }
        return shares;
    }

    private static unsafe int AlignedStart(float[] pinned)
    {
        fixed (float* p = pinned) return (int)((64 - ((nint)p & 63)) & 63) / sizeof(float);
    }

    private static void WithSplit(int workers, long parallelFrom, Action call)
    {
        int savedWorkers = BlockedGemm<float>.Workers;
        long savedFloat = BlockedGemm<float>.ParallelThreshold, savedDouble = BlockedGemm<double>.ParallelThreshold;
        BlockedGemm<float>.Workers = BlockedGemm<double>.Workers = workers;
        BlockedGemm<float>.ParallelThreshold = BlockedGemm<double>.ParallelThreshold = parallelFrom;
        try
        {
            call();
        }
        finally
        {
            BlockedGemm<float>.Workers = BlockedGemm<double>.Workers = savedWorkers;
            BlockedGemm<float>.ParallelThreshold = savedFloat;
            BlockedGemm<double>.ParallelThreshold = savedDouble;
        }
    }
}
