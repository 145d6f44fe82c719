using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

internal static unsafe partial class BlockedGemm<T>
{
    /// <summary>Elements of one vector of the micro-kernel: half a B panel.</summary>
    private static int VectorWidth => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;

    /// <summary>
    /// C[tile] (+)= A panel · packed B panel for one full Mr × Nr tile. Element (r, p) of the A
    /// panel is at <c>a[r * rowStride + p * depthStride]</c>, so the kernel reads a packed panel
    /// (1, Mr) and the rows of a row-major A in place (lda, 1) alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        if (Vector512.IsHardwareAccelerated)
            MicroKernel512(a, rowStride, depthStride, b, kc, c, ldc, load);
        else
            MicroKernel256(a, rowStride, depthStride, b, kc, c, ldc, load);
    }

    /// <summary>
    /// Like <see cref="MicroKernel"/> for the left half of the tile only: a last panel at most
    /// one vector wide (10 classes, say) then costs half the multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NarrowMicroKernel(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        if (Vector512.IsHardwareAccelerated)
            NarrowMicroKernel512(a, rowStride, depthStride, b, kc, c, ldc, load);
        else
            NarrowMicroKernel256(a, rowStride, depthStride, b, kc, c, ldc, load);
    }

    /// <summary>Rows a <see cref="PartialMicroKernel"/> computes at most.</summary>
    private const int PartialRows = 4;

    /// <summary>
    /// Like <see cref="MicroKernel"/> for the first <paramref name="rows"/> (at most
    /// <see cref="PartialRows"/>) rows of a tile: a ragged last panel of a short C (10 classes,
    /// say) then costs the rows it has, rounded up to 2 or 4, instead of a whole Mr. The A panel
    /// must be readable for <see cref="PartialRows"/> rows (the zero-padded edge panel is); only
    /// <paramref name="rows"/> rows of C are read and written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PartialMicroKernel(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load, int rows)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (rows <= 2) PartialMicroKernel512x2(a, rowStride, depthStride, b, kc, c, ldc, load, rows);
            else PartialMicroKernel512x4(a, rowStride, depthStride, b, kc, c, ldc, load, rows);
        }
        else
        {
            if (rows <= 2) PartialMicroKernel256x2(a, rowStride, depthStride, b, kc, c, ldc, load, rows);
            else PartialMicroKernel256x4(a, rowStride, depthStride, b, kc, c, ldc, load, rows);
        }
    }

    /// <summary>8 rows × 2 vectors of C in 16 accumulators; each depth step loads two B vectors and broadcasts 8 A values.</summary>
    private static void MicroKernel512(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (load)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + w);
            c10 = Vector512.Load(c + 1 * ldc); c11 = Vector512.Load(c + 1 * ldc + w);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + w);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + w);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + w);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + w);
            c60 = Vector512.Load(c + 6 * ldc); c61 = Vector512.Load(c + 6 * ldc + w);
            c70 = Vector512.Load(c + 7 * ldc); c71 = Vector512.Load(c + 7 * ldc + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<T>.Zero;
        }

        T* a0 = a;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        T* a6 = a + 6 * rowStride;
        T* a7 = a + 7 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + w);
            var x0 = Vector512.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector512.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
            var x2 = Vector512.Create(a2[depth]);
            c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21);
            var x3 = Vector512.Create(a3[depth]);
            c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31);
            var x4 = Vector512.Create(a4[depth]);
            c40 = Fma(x4, b0, c40); c41 = Fma(x4, b1, c41);
            var x5 = Vector512.Create(a5[depth]);
            c50 = Fma(x5, b0, c50); c51 = Fma(x5, b1, c51);
            var x6 = Vector512.Create(a6[depth]);
            c60 = Fma(x6, b0, c60); c61 = Fma(x6, b1, c61);
            var x7 = Vector512.Create(a7[depth]);
            c70 = Fma(x7, b0, c70); c71 = Fma(x7, b1, c71);
        }

        c00.Store(c); c01.Store(c + w);
        c10.Store(c + 1 * ldc); c11.Store(c + 1 * ldc + w);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w);
        c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w);
        c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w);
        c60.Store(c + 6 * ldc); c61.Store(c + 6 * ldc + w);
        c70.Store(c + 7 * ldc); c71.Store(c + 7 * ldc + w);
    }

    /// <summary>6 rows × 2 vectors of C in 12 of the 16 AVX2 registers.</summary>
    private static void MicroKernel256(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + w);
            c10 = Vector256.Load(c + 1 * ldc); c11 = Vector256.Load(c + 1 * ldc + w);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + w);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + w);
            c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + w);
            c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<T>.Zero;
        }

        T* a0 = a;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector256.LoadAligned(b);
            var b1 = Vector256.LoadAligned(b + w);
            var x0 = Vector256.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector256.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
            var x2 = Vector256.Create(a2[depth]);
            c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21);
            var x3 = Vector256.Create(a3[depth]);
            c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31);
            var x4 = Vector256.Create(a4[depth]);
            c40 = Fma(x4, b0, c40); c41 = Fma(x4, b1, c41);
            var x5 = Vector256.Create(a5[depth]);
            c50 = Fma(x5, b0, c50); c51 = Fma(x5, b1, c51);
        }

        c00.Store(c); c01.Store(c + w);
        c10.Store(c + 1 * ldc); c11.Store(c + 1 * ldc + w);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w);
        c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + w);
        c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + w);
    }

    /// <summary>8 rows × 1 vector of C.</summary>
    private static void NarrowMicroKernel512(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00, c10, c20, c30, c40, c50, c60, c70;
        if (load)
        {
            c00 = Vector512.Load(c);
            c10 = Vector512.Load(c + 1 * ldc);
            c20 = Vector512.Load(c + 2 * ldc);
            c30 = Vector512.Load(c + 3 * ldc);
            c40 = Vector512.Load(c + 4 * ldc);
            c50 = Vector512.Load(c + 5 * ldc);
            c60 = Vector512.Load(c + 6 * ldc);
            c70 = Vector512.Load(c + 7 * ldc);
        }
        else
        {
            c00 = c10 = c20 = c30 = c40 = c50 = c60 = c70 = Vector512<T>.Zero;
        }

        T* a0 = a;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        T* a6 = a + 6 * rowStride;
        T* a7 = a + 7 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector512.LoadAligned(b);
            var x0 = Vector512.Create(a0[depth]);
            c00 = Fma(x0, b0, c00);
            var x1 = Vector512.Create(a1[depth]);
            c10 = Fma(x1, b0, c10);
            var x2 = Vector512.Create(a2[depth]);
            c20 = Fma(x2, b0, c20);
            var x3 = Vector512.Create(a3[depth]);
            c30 = Fma(x3, b0, c30);
            var x4 = Vector512.Create(a4[depth]);
            c40 = Fma(x4, b0, c40);
            var x5 = Vector512.Create(a5[depth]);
            c50 = Fma(x5, b0, c50);
            var x6 = Vector512.Create(a6[depth]);
            c60 = Fma(x6, b0, c60);
            var x7 = Vector512.Create(a7[depth]);
            c70 = Fma(x7, b0, c70);
        }

        c00.Store(c);
        c10.Store(c + 1 * ldc);
        c20.Store(c + 2 * ldc);
        c30.Store(c + 3 * ldc);
        c40.Store(c + 4 * ldc);
        c50.Store(c + 5 * ldc);
        c60.Store(c + 6 * ldc);
        c70.Store(c + 7 * ldc);
    }

    /// <summary>6 rows × 1 vector of C.</summary>
    private static void NarrowMicroKernel256(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00, c10, c20, c30, c40, c50;
        if (load)
        {
            c00 = Vector256.Load(c);
            c10 = Vector256.Load(c + 1 * ldc);
            c20 = Vector256.Load(c + 2 * ldc);
            c30 = Vector256.Load(c + 3 * ldc);
            c40 = Vector256.Load(c + 4 * ldc);
            c50 = Vector256.Load(c + 5 * ldc);
        }
        else
        {
            c00 = c10 = c20 = c30 = c40 = c50 = Vector256<T>.Zero;
        }

        T* a0 = a;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        T* a5 = a + 5 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector256.LoadAligned(b);
            var x0 = Vector256.Create(a0[depth]);
            c00 = Fma(x0, b0, c00);
            var x1 = Vector256.Create(a1[depth]);
            c10 = Fma(x1, b0, c10);
            var x2 = Vector256.Create(a2[depth]);
            c20 = Fma(x2, b0, c20);
            var x3 = Vector256.Create(a3[depth]);
            c30 = Fma(x3, b0, c30);
            var x4 = Vector256.Create(a4[depth]);
            c40 = Fma(x4, b0, c40);
            var x5 = Vector256.Create(a5[depth]);
            c50 = Fma(x5, b0, c50);
        }

        c00.Store(c);
        c10.Store(c + 1 * ldc);
        c20.Store(c + 2 * ldc);
        c30.Store(c + 3 * ldc);
        c40.Store(c + 4 * ldc);
        c50.Store(c + 5 * ldc);
    }

    /// <summary>Up to 2 rows × 2 vectors of C.</summary>
    private static void PartialMicroKernel512x2(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load, int rows)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        if (load)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + w);
            if (rows > 1) { c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + w); }
        }
        T* a0 = a;
        T* a1 = a + rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + w);
            var x0 = Vector512.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector512.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
        }
        c00.Store(c); c01.Store(c + w);
        if (rows > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
    }

    /// <summary>Up to 4 rows × 2 vectors of C.</summary>
    private static void PartialMicroKernel512x4(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load, int rows)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        if (load)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + w);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + w);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + w);
            if (rows > 3) { c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + w); }
        }
        T* a0 = a;
        T* a1 = a + rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + w);
            var x0 = Vector512.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector512.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
            var x2 = Vector512.Create(a2[depth]);
            c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21);
            var x3 = Vector512.Create(a3[depth]);
            c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31);
        }
        c00.Store(c); c01.Store(c + w);
        c10.Store(c + ldc); c11.Store(c + ldc + w);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w);
        if (rows > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
    }

    /// <summary>Up to 2 rows × 2 vectors of C.</summary>
    private static void PartialMicroKernel256x2(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load, int rows)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        if (load)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + w);
            if (rows > 1) { c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + w); }
        }
        T* a0 = a;
        T* a1 = a + rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector256.LoadAligned(b);
            var b1 = Vector256.LoadAligned(b + w);
            var x0 = Vector256.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector256.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
        }
        c00.Store(c); c01.Store(c + w);
        if (rows > 1) { c10.Store(c + ldc); c11.Store(c + ldc + w); }
    }

    /// <summary>Up to 4 rows × 2 vectors of C.</summary>
    private static void PartialMicroKernel256x4(T* a, nint rowStride, nint depthStride, T* b, int kc, T* c, nint ldc, bool load, int rows)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        if (load)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + w);
            c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + w);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + w);
            if (rows > 3) { c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + w); }
        }
        T* a0 = a;
        T* a1 = a + rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        nint depth = 0;
        for (int p = 0; p < kc; p++, depth += depthStride, b += 2 * w)
        {
            var b0 = Vector256.LoadAligned(b);
            var b1 = Vector256.LoadAligned(b + w);
            var x0 = Vector256.Create(a0[depth]);
            c00 = Fma(x0, b0, c00); c01 = Fma(x0, b1, c01);
            var x1 = Vector256.Create(a1[depth]);
            c10 = Fma(x1, b0, c10); c11 = Fma(x1, b1, c11);
            var x2 = Vector256.Create(a2[depth]);
            c20 = Fma(x2, b0, c20); c21 = Fma(x2, b1, c21);
            var x3 = Vector256.Create(a3[depth]);
            c30 = Fma(x3, b0, c30); c31 = Fma(x3, b1, c31);
        }
        c00.Store(c); c01.Store(c + w);
        c10.Store(c + ldc); c11.Store(c + ldc + w);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + w);
        if (rows > 3) { c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + w); }
    }

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
