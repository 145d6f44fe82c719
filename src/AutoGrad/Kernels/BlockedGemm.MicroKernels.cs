using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

internal static unsafe partial class BlockedGemm<T>
{
    /// <summary>Elements of one vector of the micro-kernel: half a B panel.</summary>
    private static int VectorWidth => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;

    /// <summary>
    /// C[tile] (+)= A panel · packed B panel for the first <paramref name="rows"/> (1 to Mr) rows
    /// of one tile: both vectors of the B panel, or only the left one when
    /// <paramref name="narrow"/> is set (a last panel at most one vector wide, such as 10
    /// classes, then costs half the multiply-adds). Element (r, p) of the A panel is at
    /// <c>a[r * rowStride + p * depthStride]</c>, so the kernel reads a row-major A (lda, 1) and a
    /// transposed one (1, lda) in place. Only <paramref name="rows"/> rows of A and C are touched.
    /// </summary>
    /// <remarks>
    /// Every row count has its own kernel, so the ragged last rows of a short C (10 = 8 + 2)
    /// cost the rows they have rather than a whole Mr-row tile.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load, int rows, bool narrow)
    {
        switch (rows)
        {
            case 8: MicroKernel<Eight>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 7: MicroKernel<Seven>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 6: MicroKernel<Six>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 5: MicroKernel<Five>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 4: MicroKernel<Four>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 3: MicroKernel<Three>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            case 2: MicroKernel<Two>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
            default: MicroKernel<One>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load, narrow); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel<TRows>(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load, bool narrow)
        where TRows : struct, IRowCount
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (narrow) NarrowTile512<TRows>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load);
            else Tile512<TRows>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load);
        }
        else
        {
            if (narrow) NarrowTile256<TRows>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load);
            else Tile256<TRows>(a, rowStride, depthStride, b, ldb, kc, c, ldc, load);
        }
    }

    /// <summary>
    /// Up to 8 rows × 2 vectors of C in up to 16 accumulators; each depth step loads two B
    /// vectors and broadcasts one A value per row. <typeparamref name="TRows"/> is a constant in
    /// each instantiation, so the JIT drops the code of absent rows: 8 rows is the classic kernel.
    /// </summary>
    /// <remarks>
    /// The accumulators start at zero and C is added after the depth loop, its lines prefetched
    /// before it: loaded up front, C's cache misses (a tile's rows are a row of C apart, and C
    /// has left the cache since the last depth block) stalled the first multiply-adds, with
    /// nothing else for the core to do.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<TRows>(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value, w = Vector512<T>.Count;
        Debug.Assert(rows <= 8);
        if (load) PrefetchTile(c, ldc, rows, 2 * w);
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default,
            c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        if (rowStride == 1)
        {
            // A packed, or transposed in place: one depth step's rows are adjacent, so a single
            // pointer reaches them at constant offsets (eight row pointers left too few registers,
            // and three were reloaded from the stack at every depth step).
            for (int p = 0; p < kc; p++, a += depthStride, b += ldb)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + w);
                var x0 = Vector512.Create(a[0]); c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
                if (rows > 1) { var x1 = Vector512.Create(a[1]); c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11); }
                if (rows > 2) { var x2 = Vector512.Create(a[2]); c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21); }
                if (rows > 3) { var x3 = Vector512.Create(a[3]); c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31); }
                if (rows > 4) { var x4 = Vector512.Create(a[4]); c40 = Fma(x4, b0, c40); c41 = Fma(x4, b1, c41); }
                if (rows > 5) { var x5 = Vector512.Create(a[5]); c50 = Fma(x5, b0, c50); c51 = Fma(x5, b1, c51); }
                if (rows > 6) { var x6 = Vector512.Create(a[6]); c60 = Fma(x6, b0, c60); c61 = Fma(x6, b1, c61); }
                if (rows > 7) { var x7 = Vector512.Create(a[7]); c70 = Fma(x7, b0, c70); c71 = Fma(x7, b1, c71); }
            }
        }
        else
        {
            T* a0 = a;
            T* a1 = a + rowStride;
            T* a2 = a + 2 * rowStride;
            T* a3 = a + 3 * rowStride;
            T* a4 = a + 4 * rowStride;
            T* a5 = a + 5 * rowStride;
            T* a6 = a + 6 * rowStride;
            T* a7 = a + 7 * rowStride;
            nint depth = 0;
            for (int p = 0; p < kc; p++, depth += depthStride, b += ldb)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + w);
                var x0 = Vector512.Create(a0[depth]); c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
                if (rows > 1) { var x1 = Vector512.Create(a1[depth]); c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11); }
                if (rows > 2) { var x2 = Vector512.Create(a2[depth]); c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21); }
                if (rows > 3) { var x3 = Vector512.Create(a3[depth]); c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31); }
                if (rows > 4) { var x4 = Vector512.Create(a4[depth]); c40 = Fma(x4, b0, c40); c41 = Fma(x4, b1, c41); }
                if (rows > 5) { var x5 = Vector512.Create(a5[depth]); c50 = Fma(x5, b0, c50); c51 = Fma(x5, b1, c51); }
                if (rows > 6) { var x6 = Vector512.Create(a6[depth]); c60 = Fma(x6, b0, c60); c61 = Fma(x6, b1, c61); }
                if (rows > 7) { var x7 = Vector512.Create(a7[depth]); c70 = Fma(x7, b0, c70); c71 = Fma(x7, b1, c71); }
            }
        }

        if (load)
        {
            c00 += Vector512.Load(c); c01 += Vector512.Load(c + w);
            if (rows > 1) { c10 += Vector512.Load(c + ldc); c11 += Vector512.Load(c + ldc + w); }
            if (rows > 2) { c20 += Vector512.Load(c + 2 * ldc); c21 += Vector512.Load(c + 2 * ldc + w); }
            if (rows > 3) { c30 += Vector512.Load(c + 3 * ldc); c31 += Vector512.Load(c + 3 * ldc + w); }
            if (rows > 4) { c40 += Vector512.Load(c + 4 * ldc); c41 += Vector512.Load(c + 4 * ldc + w); }
            if (rows > 5) { c50 += Vector512.Load(c + 5 * ldc); c51 += Vector512.Load(c + 5 * ldc + w); }
            if (rows > 6) { c60 += Vector512.Load(c + 6 * ldc); c61 += Vector512.Load(c + 6 * ldc + w); }
            if (rows > 7) { c70 += Vector512.Load(c + 7 * ldc); c71 += Vector512.Load(c + 7 * ldc + w); }
        }
        c00.Store(c); c01.Store(c + w);
        if (rows > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
        if (rows > 2) { c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w); }
        if (rows > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
        if (rows > 4) { c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w); }
        if (rows > 5) { c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w); }
        if (rows > 6) { c60.Store(c + 6 * ldc); c61.Store(c + 6 * ldc + w); }
        if (rows > 7) { c70.Store(c + 7 * ldc); c71.Store(c + 7 * ldc + w); }
    }

    /// <summary>Prefetches the cache lines of a tile of C, <paramref name="rows"/> rows of <paramref name="columns"/> elements, <paramref name="ldc"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(T* c, nint ldc, int rows, int columns)
    {
        int lineElements = 64 / sizeof(T);
        for (int r = 0; r < rows; r++, c += ldc)
        {
            // The row's first line, each line after it, and its last element's (a row that is not line-aligned spans one more line).
            for (int j = 0; j < columns; j += lineElements) Sse.Prefetch0(c + j);
            Sse.Prefetch0(c + columns - 1);
        }
    }
    /// <summary>
    /// Up to 8 rows × 1 vector of C. Kept apart from <see cref="Tile512{TRows}"/>: with a single
    /// use of each A value the JIT folds its broadcast into the multiply-add as an embedded
    /// broadcast, which measured about 25% faster than a separate broadcast here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowTile512<TRows>(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value, w = Vector512<T>.Count;
        Debug.Assert(rows <= 8);
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;

        T* a0 = a;
        T* a1 = a + rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        T* a6 = a + 6 * rowStride;
        T* a7 = a + 7 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += ldb)
        {
            var b0 = Vector512.Load(b);
            c0 = Fma(Vector512.Create(a0[depth]), b0, c0);
            if (rows > 1) c1 = Fma(Vector512.Create(a1[depth]), b0, c1);
            if (rows > 2) c2 = Fma(Vector512.Create(a2[depth]), b0, c2);
            if (rows > 3) c3 = Fma(Vector512.Create(a3[depth]), b0, c3);
            if (rows > 4) c4 = Fma(Vector512.Create(a4[depth]), b0, c4);
            if (rows > 5) c5 = Fma(Vector512.Create(a5[depth]), b0, c5);
            if (rows > 6) c6 = Fma(Vector512.Create(a6[depth]), b0, c6);
            if (rows > 7) c7 = Fma(Vector512.Create(a7[depth]), b0, c7);
        }

        // C added after the depth loop, as Tile512 adds it: a column computed here (a narrow last panel, or the
        // columns before a B's first 64-byte boundary) gets the bits it gets in a full tile, wherever B lies.
        if (load)
        {
            c0 += Vector512.Load(c);
            if (rows > 1) c1 += Vector512.Load(c + ldc);
            if (rows > 2) c2 += Vector512.Load(c + 2 * ldc);
            if (rows > 3) c3 += Vector512.Load(c + 3 * ldc);
            if (rows > 4) c4 += Vector512.Load(c + 4 * ldc);
            if (rows > 5) c5 += Vector512.Load(c + 5 * ldc);
            if (rows > 6) c6 += Vector512.Load(c + 6 * ldc);
            if (rows > 7) c7 += Vector512.Load(c + 7 * ldc);
        }
        c0.Store(c);
        if (rows > 1) c1.Store(c + ldc);
        if (rows > 2) c2.Store(c + 2 * ldc);
        if (rows > 3) c3.Store(c + 3 * ldc);
        if (rows > 4) c4.Store(c + 4 * ldc);
        if (rows > 5) c5.Store(c + 5 * ldc);
        if (rows > 6) c6.Store(c + 6 * ldc);
        if (rows > 7) c7.Store(c + 7 * ldc);
    }

    /// <summary>Up to 6 rows × 2 vectors of C in up to 12 of the 16 AVX2 registers; otherwise as <see cref="Tile512{TRows}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<TRows>(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value, w = Vector256<T>.Count;
        Debug.Assert(rows <= 6);
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default,
            c40 = default, c41 = default, c50 = default, c51 = default;
        if (load)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + w);
            if (rows > 1) { c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + w); }
            if (rows > 2) { c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + w); }
            if (rows > 3) { c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + w); }
            if (rows > 4) { c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + w); }
            if (rows > 5) { c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + w); }
        }

        T* a0 = a;
        T* a1 = a + rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += ldb)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            var x0 = Vector256.Create(a0[depth]); c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            if (rows > 1) { var x1 = Vector256.Create(a1[depth]); c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11); }
            if (rows > 2) { var x2 = Vector256.Create(a2[depth]); c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21); }
            if (rows > 3) { var x3 = Vector256.Create(a3[depth]); c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31); }
            if (rows > 4) { var x4 = Vector256.Create(a4[depth]); c40 = Fma(x4, b0, c40); c41 = Fma(x4, b1, c41); }
            if (rows > 5) { var x5 = Vector256.Create(a5[depth]); c50 = Fma(x5, b0, c50); c51 = Fma(x5, b1, c51); }
        }

        c00.Store(c); c01.Store(c + w);
        if (rows > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
        if (rows > 2) { c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w); }
        if (rows > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
        if (rows > 4) { c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w); }
        if (rows > 5) { c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w); }
    }

    /// <summary>Up to 6 rows × 1 vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowTile256<TRows>(T* a, nint rowStride, nint depthStride, T* b, nint ldb, int kc, T* c, nint ldc, bool load)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Value, w = Vector256<T>.Count;
        Debug.Assert(rows <= 6);
        Vector256<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        if (load)
        {
            c0 = Vector256.Load(c);
            if (rows > 1) c1 = Vector256.Load(c + ldc);
            if (rows > 2) c2 = Vector256.Load(c + 2 * ldc);
            if (rows > 3) c3 = Vector256.Load(c + 3 * ldc);
            if (rows > 4) c4 = Vector256.Load(c + 4 * ldc);
            if (rows > 5) c5 = Vector256.Load(c + 5 * ldc);
        }

        T* a0 = a;
        T* a1 = a + rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += ldb)
        {
            var b0 = Vector256.Load(b);
            c0 = Fma(Vector256.Create(a0[depth]), b0, c0);
            if (rows > 1) c1 = Fma(Vector256.Create(a1[depth]), b0, c1);
            if (rows > 2) c2 = Fma(Vector256.Create(a2[depth]), b0, c2);
            if (rows > 3) c3 = Fma(Vector256.Create(a3[depth]), b0, c3);
            if (rows > 4) c4 = Fma(Vector256.Create(a4[depth]), b0, c4);
            if (rows > 5) c5 = Fma(Vector256.Create(a5[depth]), b0, c5);
        }

        c0.Store(c);
        if (rows > 1) c1.Store(c + ldc);
        if (rows > 2) c2.Store(c + 2 * ldc);
        if (rows > 3) c3.Store(c + 3 * ldc);
        if (rows > 4) c4.Store(c + 4 * ldc);
        if (rows > 5) c5.Store(c + 5 * ldc);
    }

    /// <summary>
    /// A row count known when the JIT compiles a generic instantiation: it specializes code for
    /// each struct type argument, so <c>TRows.Value</c> folds to a constant there (C# has no
    /// constant generic parameters).
    /// </summary>
    private interface IRowCount
    {
        static abstract int Value { get; }
    }

    private readonly struct One : IRowCount { public static int Value => 1; }
    private readonly struct Two : IRowCount { public static int Value => 2; }
    private readonly struct Three : IRowCount { public static int Value => 3; }
    private readonly struct Four : IRowCount { public static int Value => 4; }
    private readonly struct Five : IRowCount { public static int Value => 5; }
    private readonly struct Six : IRowCount { public static int Value => 6; }
    private readonly struct Seven : IRowCount { public static int Value => 7; }
    private readonly struct Eight : IRowCount { public static int Value => 8; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}
