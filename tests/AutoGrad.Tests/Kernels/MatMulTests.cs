using System.Numerics;
using System.Runtime.InteropServices;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

public class MatMulTests
{
    public enum Variant { AB, ABt, AtB }

    private static readonly int[] s_oddSizes = [1, 3, 7, 17, 33, 65, 127, 129];

    public static TheoryData<Variant, int, int, int> Shapes()
    {
        var data = new TheoryData<Variant, int, int, int>();
        foreach (var variant in Enum.GetValues<Variant>())
        {
            for (int i = 0; i < s_oddSizes.Length; i++)
            {
                data.Add(variant, s_oddSizes[i], s_oddSizes[i], s_oddSizes[i]);
                data.Add(variant, s_oddSizes[i], s_oddSizes[(i + 3) % 8], s_oddSizes[(i + 5) % 8]);
            }
            // Several depth blocks with ragged edges; several row blocks; the parallel path.
            data.Add(variant, 33, 517, 45);
            data.Add(variant, 700, 9, 40);
            data.Add(variant, 650, 170, 70);
            data.Add(variant, 300, 300, 300);
            // Short C with enough work for the parallel path: B read in place on either path.
            data.Add(variant, 10, 333, 700);
            data.Add(variant, 12, 300, 640);
            // The seed MLP's layers at batch 256.
            data.Add(variant, 256, 784, 64);
            data.Add(variant, 256, 64, 10);
            data.Add(variant, 10, 256, 64);
            data.Add(variant, 1, 784, 64); // batch 1
            // Every tile shape of the micro-kernel: m = 2..16 leaves every ragged row count
            // below the tile height (1..7 of 8 rows with AVX-512, 1..5 of 6 with AVX2), each in
            // full column panels (48, 64) and in ragged ones of either width: the last panel
            // one vector wide or less, or wider (37, 45, 52 leave 5, 13, 20 of 32 floats with
            // AVX-512, 5, 13, 4 of 16 with AVX2, and so on for doubles). A depth of 555 takes at least
            // two depth blocks on every path, so C is also loaded and added to mid-product.
            for (int m = 2; m <= 16; m++)
            {
                foreach (int n in new[] { 37, 45, 48, 52, 64 }) data.Add(variant, m, 40, n);
                data.Add(variant, m, 555, 45);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_matches_reference(Variant variant, int m, int k, int n) => MatchesReference<float>(variant, m, k, n);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_matches_reference(Variant variant, int m, int k, int n) => MatchesReference<double>(variant, m, k, n);

    /// <summary>
    /// Every shape again with A packed into panels, which the kernel otherwise does only for
    /// large products at strides that are a multiple of 1 KiB.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_reference_with_A_packed(Variant variant, int m, int k, int n)
    {
        BlockedGemm<float>.PackAMode = BlockedGemm<double>.PackAMode = 1;
        try
        {
            MatchesReference<float>(variant, m, k, n);
            MatchesReference<double>(variant, m, k, n);
        }
        finally
        {
            BlockedGemm<float>.PackAMode = BlockedGemm<double>.PackAMode = 0;
        }
    }

    [Theory]
    [InlineData(Variant.AB)]
    [InlineData(Variant.AtB)]
    public void Packs_A_by_itself_at_a_power_of_two_stride(Variant variant)
    {
        // Rows of A 1 KiB apart (256 floats, 128 doubles; A is k × m when transposed): the
        // packing path without forcing it, with a ragged last row panel and column panel.
        if (variant == Variant.AB)
        {
            MatchesReference<float>(variant, 41, 256, 70);
            MatchesReference<double>(variant, 41, 128, 70);
        }
        else
        {
            MatchesReference<float>(variant, 256, 41, 70);
            MatchesReference<double>(variant, 128, 41, 70);
        }
    }

    /// <summary>
    /// A row-major B read in place (C of at most 64 rows) whose rows all start the same distance
    /// past a 64-byte boundary: when B is wide, its first columns are a product of their own, so
    /// the rest is read aligned. Every such distance, for B and for C, on one thread and on the
    /// fork-join; narrow B (64 columns) is read unaligned.
    /// </summary>
    [Theory]
    [InlineData(Variant.AB, 10, 256, 64)]
    [InlineData(Variant.AtB, 64, 256, 784)]
    [InlineData(Variant.AtB, 13, 37, 272)]
    [InlineData(Variant.AB, 64, 300, 400)]
    public void Matches_reference_with_B_rows_off_a_64_byte_boundary(Variant variant, int m, int k, int n)
    {
        long threshold = BlockedGemm<float>.ParallelThreshold;
        try
        {
            foreach (long parallelFrom in new[] { long.MaxValue, 1L })
            {
                BlockedGemm<float>.ParallelThreshold = BlockedGemm<double>.ParallelThreshold = parallelFrom;
                for (int offset = 0; offset < 16; offset++)
                {
                    MatchesReferenceAt<float>(variant, m, k, n, offset, (offset * 5) % 16);
                    if (offset < 8) MatchesReferenceAt<double>(variant, m, k, n, offset, (offset * 3) % 8);
                }
            }
        }
        finally
        {
            BlockedGemm<float>.ParallelThreshold = BlockedGemm<double>.ParallelThreshold = threshold;
        }
    }

    /// <summary>
    /// C (+)= op(A)·B with B and C starting <paramref name="bOffset"/> and <paramref name="cOffset"/>
    /// elements past a 64-byte boundary, against the reference; the elements around C stay untouched.
    /// </summary>
    private static void MatchesReferenceAt<T>(Variant variant, int m, int k, int n, int bOffset, int cOffset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = KernelAssert.Random<T>(m * k, seed: m + k);
        var b = KernelAssert.Random<T>(k * n, seed: k + n);
        var initial = KernelAssert.Random<T>(m * n, seed: n + m);
        double relative = (k + 2) * KernelAssert.Epsilon<T>();
        var sentinel = T.CreateChecked(42);
        foreach (bool accumulate in new[] { false, true })
        {
            var bBuffer = AlignedArray<T>(k * n + 64, out int bStart);
            var cBuffer = AlignedArray<T>(m * n + 64, out int cStart);
            bStart += bOffset;
            cStart += cOffset;
            b.CopyTo(bBuffer, bStart);
            cBuffer.AsSpan().Fill(sentinel);
            initial.CopyTo(cBuffer, cStart);
            var expected = (T[])initial.Clone();
            var bound = accumulate ? Abs(initial) : new T[m * n];
            MatMulReference.Multiply<T>(a, variant == Variant.AtB, b, false, expected, m, k, n, accumulate);
            MatMulReference.Multiply<T>(Abs(a), variant == Variant.AtB, Abs(b), false, bound, m, k, n, accumulate: true);

            var bSpan = bBuffer.AsSpan(bStart, k * n);
            var cSpan = cBuffer.AsSpan(cStart, m * n);
            if (typeof(T) == typeof(float))
            {
                Span<float> af = MemoryMarshal.Cast<T, float>(a.AsSpan()), bf = MemoryMarshal.Cast<T, float>(bSpan), cf = MemoryMarshal.Cast<T, float>(cSpan);
                if (variant == Variant.AB) MatMul.Multiply(af, bf, cf, m, k, n, accumulate);
                else MatMul.MultiplyTransposedA(af, bf, cf, m, k, n, accumulate);
            }
            else
            {
                Span<double> ad = MemoryMarshal.Cast<T, double>(a.AsSpan()), bd = MemoryMarshal.Cast<T, double>(bSpan), cd = MemoryMarshal.Cast<T, double>(cSpan);
                if (variant == Variant.AB) MatMul.Multiply(ad, bd, cd, m, k, n, accumulate);
                else MatMul.MultiplyTransposedA(ad, bd, cd, m, k, n, accumulate);
            }

            string what = $"{typeof(T).Name} {variant} {m}x{k}x{n} B +{bOffset} C +{cOffset} accumulate={accumulate}";
            KernelAssert.Close<T>(expected, cSpan, bound, relative, what);
            Assert.True(cBuffer.AsSpan(0, cStart).IndexOfAnyExcept(sentinel) < 0, $"{what}: an element before C was written");
            Assert.True(cBuffer.AsSpan(cStart + m * n).IndexOfAnyExcept(sentinel) < 0, $"{what}: an element past C was written");
        }
    }

    /// <summary>A pinned array and the index of its first element on a 64-byte boundary.</summary>
    private static unsafe T[] AlignedArray<T>(int length, out int start) where T : unmanaged
    {
        var array = GC.AllocateArray<T>(length + 64 / sizeof(T), pinned: true);
        fixed (T* p = array) start = (int)((64 - ((nint)p & 63)) & 63) / sizeof(T);
        return array;
    }

    [Fact]
    public void Leaves_elements_past_the_matrix_untouched()
    {
        var a = KernelAssert.Random<float>(5 * 4 + 3, seed: 1);
        var b = KernelAssert.Random<float>(4 * 6 + 2, seed: 2);
        var c = new float[5 * 6 + 7];
        c.AsSpan(30).Fill(42);

        MatMul.Multiply(a, b, c, 5, 4, 6);

        Assert.All(c[30..], value => Assert.Equal(42, value));
    }

    [Fact]
    public void Empty_depth_clears_or_keeps_the_output()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };

        MatMul.Multiply(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, c, 2, 0, 3, accumulate: true);
        Assert.Equal([1, 2, 3, 4, 5, 6], c);

        MatMul.Multiply(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, c, 2, 0, 3);
        Assert.All(c, value => Assert.Equal(0, value));
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];

        Assert.Throws<ArgumentOutOfRangeException>("m", () => MatMul.Multiply(a, b, c, -1, 3, 2));
        Assert.Throws<ArgumentException>("a", () => MatMul.Multiply(a, b, c, 2, 4, 2));
        Assert.Throws<ArgumentException>("b", () => MatMul.MultiplyTransposedB(a, b, c, 2, 3, 3));
        Assert.Throws<ArgumentException>("c", () => MatMul.MultiplyTransposedA(a, b, c, 3, 2, 3));
        Assert.Throws<ArgumentException>("c", () => MatMul.Multiply(a, b, a.AsSpan(2), 2, 2, 2));
    }

    [Theory]
    [InlineData(64, 96, 40)]
    [InlineData(256, 784, 64)]
    public void Allocates_nothing_once_warm(int m, int k, int n)
    {
        var a = KernelAssert.Random<float>(m * k, seed: 1);
        var b = KernelAssert.Random<float>(k * n, seed: 2);
        var c = new float[m * n];
        // Warm up on this thread alone too: on the fork-join, a worker may run every block of a
        // call (this thread descheduled under load), and this thread's packing buffers would then
        // first grow inside the measured calls.
        long threshold = BlockedGemm<float>.ParallelThreshold;
        BlockedGemm<float>.ParallelThreshold = long.MaxValue;
        try
        {
            MatMul.Multiply(a, b, c, m, k, n);
            MatMul.MultiplyTransposedA(a, b, c, m, k, n, accumulate: true);
        }
        finally
        {
            BlockedGemm<float>.ParallelThreshold = threshold;
        }
        MatMul.Multiply(a, b, c, m, k, n);
        MatMul.MultiplyTransposedA(a, b, c, m, k, n, accumulate: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            MatMul.Multiply(a, b, c, m, k, n);
            MatMul.MultiplyTransposedA(a, b, c, m, k, n, accumulate: true);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void MatchesReference<T>(Variant variant, int m, int k, int n)
        where T : IFloatingPointIeee754<T>
    {
        var a = KernelAssert.Random<T>(m * k, seed: m * 31 + k);
        var b = KernelAssert.Random<T>(k * n, seed: k * 17 + n);
        var initial = KernelAssert.Random<T>(m * n, seed: n * 7 + m);
        bool transposeA = variant == Variant.AtB, transposeB = variant == Variant.ABt;
        // Rounding error of a length-k dot product is at most about k·ε·Σ|aᵢ||bᵢ|.
        double relative = (k + 2) * KernelAssert.Epsilon<T>();

        foreach (bool accumulate in new[] { false, true })
        {
            var expected = (T[])initial.Clone();
            // C sits in a longer buffer, whose elements past the matrix must stay untouched.
            var sentinel = T.CreateChecked(42);
            var buffer = new T[m * n + 64];
            initial.CopyTo(buffer, 0);
            buffer.AsSpan(m * n).Fill(sentinel);
            var bound = accumulate ? Abs(initial) : new T[m * n];
            MatMulReference.Multiply<T>(a, transposeA, b, transposeB, expected, m, k, n, accumulate);
            MatMulReference.Multiply<T>(Abs(a), transposeA, Abs(b), transposeB, bound, m, k, n, accumulate: true);

            Multiply(variant, a, b, buffer, m, k, n, accumulate);

            KernelAssert.Close<T>(expected, buffer.AsSpan(0, m * n), bound, relative, $"{variant} {m}x{k}x{n} accumulate={accumulate}");
            Assert.All(buffer[(m * n)..], value => Assert.True(value == sentinel, $"{variant} {m}x{k}x{n}: an element past C was written"));
        }
    }

    internal static void Multiply<T>(Variant variant, T[] a, T[] b, T[] c, int m, int k, int n, bool accumulate)
    {
        if (a is float[] af && b is float[] bf && c is float[] cf)
        {
            switch (variant)
            {
                case Variant.AB: MatMul.Multiply(af, bf, cf, m, k, n, accumulate); break;
                case Variant.ABt: MatMul.MultiplyTransposedB(af, bf, cf, m, k, n, accumulate); break;
                default: MatMul.MultiplyTransposedA(af, bf, cf, m, k, n, accumulate); break;
            }
        }
        else if (a is double[] ad && b is double[] bd && c is double[] cd)
        {
            switch (variant)
            {
                case Variant.AB: MatMul.Multiply(ad, bd, cd, m, k, n, accumulate); break;
                case Variant.ABt: MatMul.MultiplyTransposedB(ad, bd, cd, m, k, n, accumulate); break;
                default: MatMul.MultiplyTransposedA(ad, bd, cd, m, k, n, accumulate); break;
            }
        }
    }

    private static T[] Abs<T>(T[] values) where T : IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = T.Abs(values[i]);
        return result;
    }
}
