using System.Numerics.Tensors;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The blocked GEMM behind <see cref="MatMul"/>, after the BLIS/GotoBLAS loop nest. op(B) is
/// packed once per call into depth blocks of zero-padded, Nr-wide micro-panels that every
/// worker shares; a register-blocked micro-kernel then sweeps one micro-panel (kept in L1)
/// down an Mc-row block of A (kept in L2). A is never packed: it is read in place in
/// either layout, since the kernel takes its row and depth strides. Nor is a row-major B when
/// C has few rows (<see cref="ReadBInPlaceRows"/>): then only its ragged last panel is packed.
/// </summary>
/// <remarks>
/// The methods with loops are compiled fully optimised on first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>). Under tiered compilation they ran as
/// unoptimised tier-0 or on-stack-replaced code until the tier-up delay (100 ms, restarted by
/// every newly compiled method, and ten times longer on a single processor) had passed: the
/// 10-row weight gradient measured 20 GFLOP/s instead of 90 and the 10-column forward product
/// 1.4 instead of 50 under DOTNET_PROCESSOR_COUNT=1, in benchmarks and in the first seconds of training.
/// </remarks>
internal static unsafe partial class BlockedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Below this many multiply-adds a second thread costs more than it saves: in the quiet
    /// <c>forkjoin</c> trace of 2026-12-02 the seed MLP's 2^20-multiply-add products (256 × 64 × 64)
    /// took 1.03-1.11x their one-thread time on two, the data the other core wrote coming back
    /// besides. Settable for the benchmarks' <c>forkjoin</c> trace (<see cref="long.MaxValue"/>:
    /// always one thread).
    /// </summary>
    internal static long ParallelThreshold { get; set; } = 1L << 21;

    private const int AlignmentBytes = 64;

    /// <summary>Rows of the C tile the micro-kernel keeps in registers.</summary>
    private static int Mr => Vector512.IsHardwareAccelerated ? 8 : 6;

    /// <summary>Columns of the C tile the micro-kernel keeps in registers (two vectors).</summary>
    private static int Nr => Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <summary>
    /// Depth of a block: the micro-kernel re-reads a kc × Nr micro-panel of B from L1 for every
    /// tile down A, so it gets two thirds of L1 (32 KiB of the Xeon's 48: 256 float depth steps,
    /// where the 20 KiB this was before gave 160 and 1024³ ran 12% slower on one core).
    /// </summary>
    private static int Kc => CacheSizes.L1Data * 2 / 3 / (Nr * sizeof(T));

    /// <summary>
    /// Depth of a block when A is read in place transposed: each depth step of A's micro-panel
    /// is then a cache line of its own, which shares L1 with B's micro-panel (at 256 steps the
    /// 64 × 256 weight gradients ran 13-23% slower than at 128).
    /// </summary>
    private static int KcStridedA => CacheSizes.L1Data * 2 / 3 / (Nr * sizeof(T) + 64);

    /// <summary>Rows of a block of A: the mc × kc values the micro-kernel re-reads (about 384 KiB) stay in L2.</summary>
    internal static int Mc => 384 * 1024 / (Kc * sizeof(T)) / Mr * Mr;

    /// <summary>
    /// Up to this many rows of C, a row-major B is read in place rather than packed: each
    /// panel of B is then swept by so few tiles that packing it, an extra pass over all of B,
    /// costs more than reading the packed panel saves (a third of the time of 10×256×64 went
    /// to packing). Measured on the AMD EPYC (Zen 4) benchmark machine: with AVX-512 (two
    /// cache lines per panel row) reading in place was as fast or faster up to 64 rows and
    /// more, even at 4 KiB strides; with AVX2 (one line per row) it lost from 16 rows on, badly
    /// at large strides (512³: 109 to 89 GFLOP/s), so that path keeps it to two tiles.
    /// </summary>
    private static int ReadBInPlaceRows => Vector512.IsHardwareAccelerated ? 8 * Mr : 2 * Mr;

    /// <summary>The threads a large product is split between: the cores. Settable for the tests (the split on any machine).</summary>
    internal static int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Called with each share of C a split product computes (its part number, first row, rows,
    /// first column, columns), on the thread that computes it: the tests' record of the split. Null: no record.
    /// </summary>
    internal static Action<int, int, int, int, int>? ShareTrace { get; set; }

    [ThreadStatic] private static T[]? t_packedB;
    [ThreadStatic] private static T[]? t_packedA;

    /// <summary>When A is packed: 0 by <see cref="ShouldPackA"/>, 1 always, 2 never (for the tests and benchmarks).</summary>
    internal static int PackAMode { get; set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int k, int n, bool accumulate)
    {
        if (m < 0) ThrowHelper.ThrowNegativeDimension(nameof(m));
        if (k < 0) ThrowHelper.ThrowNegativeDimension(nameof(k));
        if (n < 0) ThrowHelper.ThrowNegativeDimension(nameof(n));
        if (a.Length < (long)m * k) ThrowHelper.ThrowTooShort(nameof(a), (long)m * k, a.Length);
        if (b.Length < (long)k * n) ThrowHelper.ThrowTooShort(nameof(b), (long)k * n, b.Length);
        if (c.Length < (long)m * n) ThrowHelper.ThrowTooShort(nameof(c), (long)m * n, c.Length);

        if (m == 0 || n == 0) return;
        var output = c[..(m * n)];
        if (k == 0)
        {
            if (!accumulate) output.Clear();
            return;
        }
        if (output.Overlaps(a[..(m * k)]) || output.Overlaps(b[..(k * n)])) ThrowHelper.ThrowOverlap(nameof(c));
        if (IsThin(m, k))
        {
            RunThin(a, transposeA, b, transposeB, output, m, k, n, accumulate);
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            bool readBInPlace = !transposeB && m <= ReadBInPlaceRows;
            int head = readBInPlace ? MisalignedHead(pb, n) : 0;
            if (head > 0)
            {
                // B's rows all start the same distance past a 64-byte boundary: its first columns
                // are a narrow product of their own, and the rest starts aligned, so the panels read
                // in place are aligned too. Unaligned, every vector load of B spans two cache lines:
                // the seed MLP's first-layer weight gradient (64 × 256 × 784) ran at 133 GFLOP/s on
                // one core instead of 156, depending on where the input batch happened to lie.
                RunBlocked(new Problem(pa, transposeA, pb, transposeB, pc, m, k, head, accumulate, n, n), readBInPlace: false);
            }
            RunBlocked(new Problem(pa, transposeA, pb + head, transposeB, pc + head, m, k, n - head, accumulate, n, n), readBInPlace);
        }
    }

    /// <summary>
    /// The columns before a row-major B's first 64-byte boundary, when every row starts that far
    /// past one (its row length is a multiple of 64 bytes) and B is wide enough for the narrow
    /// product of those columns to pay, at least 8 panels; else 0. The narrow product costs about
    /// 8 us at 64 × 256 (one core, loaded machine, best of 1,600 calls): a 64-column B then ran
    /// 23 us split against 14 unaligned, 256 columns 61 against 62, 784 columns 174 against 188.
    /// </summary>
    private static int MisalignedHead(T* b, int n)
    {
        int offset = (int)((nint)b & (AlignmentBytes - 1));
        if (offset == 0 || n < 8 * Nr || n * sizeof(T) % AlignmentBytes != 0 || offset % sizeof(T) != 0) return 0;
        return (AlignmentBytes - offset) / sizeof(T);
    }

    /// <summary>The blocked product of one problem: on the fork-join workers when it is large enough, else on this thread.</summary>
    private static void RunBlocked(in Problem problem, bool readBInPlace)
    {
        int m = problem.M, k = problem.K, n = problem.N;
        int workers = (long)m * n * k >= ParallelThreshold && ForkJoin.Shared?.IsBusy != true ? Workers : 1;
        T* packedB = AlignedBuffer(ref t_packedB, checked(k * RoundUp(n, Nr)));
        bool packA = PackAMode switch { 1 => true, 2 => false, _ => ShouldPackA(m, k, n, problem.TransposeA) };
        int depthStep = BalancedStep(k, problem.TransposeA && !packA ? KcStridedA : Kc, 1);
        if (workers > 1 && m <= Mc)
        {
            ParallelJob.RunShares(new BlockedProblem(problem, packedB, readBInPlace, packA, depthStep, m, n), workers);
        }
        else if (workers > 1)
        {
            var (rowStep, columnStep) = SplitForWorkers(m, n, workers);
            ParallelJob.Run(new BlockedProblem(problem, packedB, readBInPlace, packA, depthStep, rowStep, columnStep));
        }
        else
        {
            var blocked = new BlockedProblem(problem, packedB, readBInPlace, packA, depthStep, BalancedStep(m, Mc, Mr), n);
            PackB(blocked, 0, n);
            for (int ic = 0; ic < m; ic += blocked.RowStep) ComputeBlock(blocked, ic, Math.Min(ic + blocked.RowStep, m), 0, n);
        }
    }

    /// <summary>
    /// Shapes too thin for packing to pay off: one row of A (a matrix-vector product, a batch of
    /// one) or a depth of one (an outer product). Measured: wider thin shapes, such as a 10-class
    /// layer at batch 256, are faster through the blocked kernel than through per-row calls.
    /// </summary>
    private static bool IsThin(int m, int k) => m == 1 || k == 1;

    /// <summary>
    /// Whether each block of A is first copied into Mr-row panels, contiguous in depth order.
    /// Read in place, A sends the micro-kernel to Mr rows (or kc depth steps, when transposed)
    /// lda apart: at a stride that is a multiple of 1 KiB (such as 1024 floats) they all fall in
    /// a few cache sets, so the mc × kc block meant to stay in L2 evicts itself (1024³ ran at
    /// half of OpenBLAS's speed on one core). Packing costs a pass over A per column block,
    /// which measured slower than reading in place at the seed MLP's shapes, whose strides do not alias.
    /// </summary>
    private static bool ShouldPackA(int m, int k, int n, bool transposeA)
    {
        long strideBytes = (long)(transposeA ? m : k) * sizeof(T);
        return m > 2 * Mr && n >= 2 * Nr && strideBytes % 1024 == 0;
    }

    /// <summary>The thin shapes, as dot products of contiguous rows or as scaled additions of B's rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunThin(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int k, int n, bool accumulate)
    {
        if (k == 1)
        {
            // c[i, :] (+)= a[i] b, where a and b are contiguous in either layout
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * n, n);
                if (accumulate) TensorPrimitives.MultiplyAdd(b[..n], a[i], row, row);
                else TensorPrimitives.Multiply(b[..n], a[i], row);
            }
        }
        else if (transposeB)
        {
            // m = 1: c[j] (+)= a · B[j, :]; a single row of A is contiguous in either layout.
            // Four rows of B at a time share each load of a (a batch-1 dense layer's forward).
            var rowOfA = a[..k];
            int j = 0;
            if (Vector.IsHardwareAccelerated && k >= Vector<T>.Count)
            {
                for (; j + 4 <= n; j += 4)
                {
                    var (d0, d1, d2, d3) = Dot4(rowOfA, b.Slice(j * k, 4 * k), k);
                    c[j] = accumulate ? c[j] + d0 : d0;
                    c[j + 1] = accumulate ? c[j + 1] + d1 : d1;
                    c[j + 2] = accumulate ? c[j + 2] + d2 : d2;
                    c[j + 3] = accumulate ? c[j + 3] + d3 : d3;
                }
            }
            for (; j < n; j++)
            {
                T dot = TensorPrimitives.Dot(rowOfA, b.Slice(j * k, k));
                c[j] = accumulate ? c[j] + dot : dot;
            }
        }
        else
        {
            // m = 1: c (+)= Σ_p a[p] B[p, :], B read by rows, four of them per pass over c
            // (a batch-1 dense layer's input gradient). A single row of A is a[p] in either layout.
            if (!accumulate) c.Clear();
            var row = c[..n];
            int p = 0;
            if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
            {
                for (; p + 4 <= k; p += 4)
                    AddScaledRows4(row, b.Slice(p * n, 4 * n), a[p], a[p + 1], a[p + 2], a[p + 3]);
            }
            for (; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[p], row, row);
        }
    }

    /// <summary><c>c += f0 rows[0] + f1 rows[1] + f2 rows[2] + f3 rows[3]</c> for four consecutive rows, each as long as <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaledRows4(Span<T> c, ReadOnlySpan<T> rows, T f0, T f1, T f2, T f3)
    {
        int n = c.Length, w = Vector<T>.Count, j = 0;
        var r0 = rows[..n];
        var r1 = rows.Slice(n, n);
        var r2 = rows.Slice(2 * n, n);
        var r3 = rows.Slice(3 * n, n);
        Vector<T> v0 = new(f0), v1 = new(f1), v2 = new(f2), v3 = new(f3);
        for (; j + w <= n; j += w)
        {
            var sum = new Vector<T>(c[j..]) + v0 * new Vector<T>(r0[j..]) + v1 * new Vector<T>(r1[j..]) + v2 * new Vector<T>(r2[j..]) + v3 * new Vector<T>(r3[j..]);
            sum.CopyTo(c[j..]);
        }
        for (; j < n; j++) c[j] += f0 * r0[j] + f1 * r1[j] + f2 * r2[j] + f3 * r3[j];
    }

    /// <summary>The dot products of <paramref name="x"/> with four consecutive rows of <paramref name="rows"/>, each <paramref name="k"/> long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T, T, T, T) Dot4(ReadOnlySpan<T> x, ReadOnlySpan<T> rows, int k)
    {
        var r0 = rows[..k];
        var r1 = rows.Slice(k, k);
        var r2 = rows.Slice(2 * k, k);
        var r3 = rows.Slice(3 * k, k);
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
        int w = Vector<T>.Count, p = 0;
        for (; p + w <= k; p += w)
        {
            var v = new Vector<T>(x[p..]);
            s0 += v * new Vector<T>(r0[p..]);
            s1 += v * new Vector<T>(r1[p..]);
            s2 += v * new Vector<T>(r2[p..]);
            s3 += v * new Vector<T>(r3[p..]);
        }
        T d0 = Vector.Sum(s0), d1 = Vector.Sum(s1), d2 = Vector.Sum(s2), d3 = Vector.Sum(s3);
        for (; p < k; p++)
        {
            d0 += x[p] * r0[p];
            d1 += x[p] * r1[p];
            d2 += x[p] * r2[p];
            d3 += x[p] * r3[p];
        }
        return (d0, d1, d2, d3);
    }

    /// <summary>
    /// Cuts C into blocks for the workers: a few per worker, so one slowed by other load is not
    /// waited on for long, and as square as the tile grid allows, because a block re-reads
    /// rows of A and panels of B in proportion to its height plus its width.
    /// </summary>
    private static (int RowStep, int ColumnStep) SplitForWorkers(int m, int n, int workers)
    {
        int rowStep = BalancedStep(m, Mc, Mr), columnStep = RoundUp(n, Nr);
        int target = 4 * workers;
        while (((m + rowStep - 1) / rowStep) * ((n + columnStep - 1) / columnStep) < target)
        {
            bool canSplitRows = rowStep > Mr, canSplitColumns = columnStep > Nr;
            if (canSplitRows && (rowStep >= columnStep || !canSplitColumns))
                rowStep = RoundUp((rowStep + 1) / 2, Mr);
            else if (canSplitColumns)
                columnStep = RoundUp((columnStep + 1) / 2, Nr);
            else
                break;
        }
        return (rowStep, columnStep);
    }

    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) × columns
    /// [<paramref name="columnStart"/>, <paramref name="columnEnd"/>) of C from the packed (or
    /// in-place) B; <paramref name="columnStart"/> is a multiple of Nr.
    /// </summary>
    /// <remarks>
    /// A is read in place, ragged last rows included (the micro-kernel has a variant for every
    /// row count): packing it would cost about as much as it saves, because the kernel
    /// broadcasts single values of A, which stream well from a few rows (row-major A) or from
    /// one contiguous run per depth step (transposed A).
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeBlock(in BlockedProblem blocked, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        ref readonly var p = ref blocked.Problem;
        int mr = Mr, nr = Nr, paddedN = RoundUp(p.N, nr);
        T* edgeTile = stackalloc T[mr * nr];
        // The scratch tile's unused columns only ever gain zero products; start them at zero
        // so they never hold the slow denormals or NaNs stale stack memory might.
        new Span<T>(edgeTile, mr * nr).Clear();
        (nint rowStride, nint depthStride) = p.TransposeA ? (1, p.M) : (p.K, 1);
        T* packedA = blocked.PackA ? AlignedBuffer(ref t_packedA, RoundUp(rowEnd - rowStart, mr) * blocked.DepthStep) : null;
        bool prefetchA = packedA == null && !p.TransposeA && (long)p.M * p.K * sizeof(T) >= ColdOperandBytes;

        for (int pc = 0; pc < p.K; pc += blocked.DepthStep)
        {
            int kc = Math.Min(blocked.DepthStep, p.K - pc);
            if (packedA != null) PackA(p, packedA, rowStart, rowEnd, pc, kc);
            // Only the first depth block may overwrite C; later ones add their share.
            bool load = p.Accumulate || pc > 0;
            T* depthBlockB = blocked.PackedB + (nint)pc * paddedN;
            for (int jr = columnStart; jr < columnEnd; jr += nr)
            {
                int columns = Math.Min(nr, columnEnd - jr);
                // A full panel of a row-major B read in place has its depth steps N apart;
                // a ragged last panel is always packed, for its zero padding.
                bool inPlace = blocked.ReadBInPlace && columns == nr;
                T* panelB = inPlace ? p.B + (nint)pc * p.Ldb + jr : depthBlockB + jr * kc;
                nint ldb = inPlace ? p.Ldb : nr;
                for (int ir = rowStart; ir < rowEnd; ir += mr)
                {
                    int rows = Math.Min(mr, rowEnd - ir);
                    T* tile = p.C + (nint)ir * p.Ldc + jr;
                    // A packed panel holds element (r, p) at r + p·Mr; rowStart is a multiple of Mr.
                    T* panelA = packedA != null ? packedA + (nint)(ir - rowStart) * kc : p.A + ir * rowStride + pc * depthStride;
                    nint rs = packedA != null ? 1 : rowStride, ds = packedA != null ? mr : depthStride;
                    if (prefetchA && jr == columnStart && ir + mr < rowEnd)
                        PrefetchRowStarts(p.A + (nint)(ir + mr) * p.K + pc, p.K, Math.Min(mr, rowEnd - ir - mr), kc);
                    if (columns == nr)
                        MicroKernel(panelA, rs, ds, panelB, ldb, kc, tile, p.Ldc, load, rows, narrow: false);
                    else
                        EdgeKernel(panelA, rs, ds, panelB, kc, tile, p.Ldc, load, rows, columns, edgeTile);
                }
            }
        }
    }

    /// <summary>
    /// From this size on, a row-major A read in place is taken to come from memory rather than
    /// cache: the seed MLP's input batch (256 × 784 floats, 784 KiB) is read first by the first
    /// layer's forward product, cycling through a data set far larger than the caches.
    /// </summary>
    private const long ColdOperandBytes = 256 * 1024;

    /// <summary>
    /// Asks for the first lines of each row of the next tile of a row-major A into L2, while the
    /// current tile computes. Each row of a tile is a short run (kc elements) in a page of its
    /// own, too short for the hardware prefetcher to have ramped up before the kernel needs it:
    /// read from memory, the first layer's forward product (256 × 784 × 64) took 205-225 us
    /// instead of 160-165 when the batch was in cache (one core, best tenth of 2,000 calls,
    /// loaded machine); with these prefetches 192-207. Four lines per row started the stream as
    /// well as every line of the row did, for a third of the cost when A is in cache after all
    /// (under 3%).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRowStarts(T* rows, nint stride, int rowCount, int depth)
    {
        if (!Sse.IsSupported) return;
        int lineElements = 64 / sizeof(T), end = Math.Min(depth, 4 * lineElements);
        for (int r = 0; r < rowCount; r++, rows += stride)
        {
            for (int q = 0; q < end; q += lineElements) Sse.Prefetch1(rows + q);
        }
    }

    /// <summary>
    /// A tile in a ragged last column panel: the packed B panel is zero-padded, so the kernel
    /// runs on a scratch tile and only the valid columns are copied back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeKernel(T* panelA, nint rowStride, nint depthStride, T* panelB, int kc, T* tile, int ldc, bool load, int rows, int columns, T* scratch)
    {
        int nr = Nr;
        if (load)
        {
            for (int r = 0; r < rows; r++) CopyShort(tile + (nint)r * ldc, scratch + r * nr, columns);
        }
        MicroKernel(panelA, rowStride, depthStride, panelB, nr, kc, scratch, nr, load, rows, narrow: columns <= VectorWidth);
        for (int r = 0; r < rows; r++) CopyShort(scratch + r * nr, tile + (nint)r * ldc, columns);
    }

    /// <summary>
    /// Copies the first <paramref name="count"/> (at most Nr) elements of a tile row. With
    /// AVX-512 that is a vector and a masked one, which neither reads nor writes past the row;
    /// a plain loop beats a general copy call at these few elements otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyShort(T* source, T* destination, int count)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            if (count > w)
            {
                Vector512.Load(source).Store(destination);
                source += w;
                destination += w;
                count -= w;
            }
            if (typeof(T) == typeof(float))
            {
                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
                Avx512F.MaskStore((float*)destination, mask, Avx512F.MaskLoad((float*)source, mask, Vector512<float>.Zero));
            }
            else
            {
                var mask = Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();
                Avx512F.MaskStore((double*)destination, mask, Avx512F.MaskLoad((double*)source, mask, Vector512<double>.Zero));
            }
            return;
        }
        for (int i = 0; i < count; i++) destination[i] = source[i];
    }

    /// <summary>
    /// Packs rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) × depths [pc, pc + kc)
    /// of op(A) into Mr-row panels, element (r, p) of a panel at r + p·Mr; a ragged last
    /// panel's missing rows are left unwritten, as the kernel for its row count never reads them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in Problem p, T* packed, int rowStart, int rowEnd, int pc, int kc)
    {
        int mr = Mr;
        for (int ir = rowStart; ir < rowEnd; ir += mr)
        {
            int rows = Math.Min(mr, rowEnd - ir);
            T* panel = packed + (nint)(ir - rowStart) * kc;
            if (p.TransposeA)
            {
                // Stored k × m: the rows of one depth step are adjacent.
                T* source = p.A + (nint)pc * p.M + ir;
                for (int kk = 0; kk < kc; kk++, source += p.M)
                {
                    T* d = panel + kk * mr;
                    for (int r = 0; r < rows; r++) d[r] = source[r];
                }
            }
            else
            {
                T* source = p.A + (nint)ir * p.K + pc;
                int transposed = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported && rows == 8 && mr == 8)
                    transposed = TransposeRowsOf8((float*)source, p.K, (float*)panel, mr, kc);
                // Row by row: each read streams along a row of A.
                for (int r = 0; r < rows; r++)
                {
                    T* row = source + (nint)r * p.K;
                    T* d = panel + r;
                    for (int kk = transposed; kk < kc; kk++) d[kk * mr] = row[kk];
                }
            }
        }
    }

    /// <summary>
    /// Writes element (r, kk) of 8 float rows, <paramref name="sourceStride"/> apart, to
    /// <c>destination[kk * destinationStride + r]</c>, eight depth steps at a time as 8 × 8
    /// transposes in registers; returns how many depth steps it wrote (a multiple of 8, the rest
    /// is the caller's). This packs 8-row panels of a row-major A and 8-column slices of a
    /// transposed B's panels: element by element, packing A took a tenth of the time of 1024³
    /// on one core, and packing the first layer's transposed weights 5% of the seed MLP's step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TransposeRowsOf8(float* source, nint sourceStride, float* destination, nint destinationStride, int depth)
    {
        int kk = 0;
        for (; kk + 8 <= depth; kk += 8, source += 8, destination += 8 * destinationStride)
        {
            var r0 = Avx.LoadVector256(source);
            var r1 = Avx.LoadVector256(source + sourceStride);
            var r2 = Avx.LoadVector256(source + 2 * sourceStride);
            var r3 = Avx.LoadVector256(source + 3 * sourceStride);
            var r4 = Avx.LoadVector256(source + 4 * sourceStride);
            var r5 = Avx.LoadVector256(source + 5 * sourceStride);
            var r6 = Avx.LoadVector256(source + 6 * sourceStride);
            var r7 = Avx.LoadVector256(source + 7 * sourceStride);
            // Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds four
            // rows' values of one depth step, the low lanes for steps 0-3, the high for 4-7.
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);
            var s0 = Avx.Shuffle(t0, t2, 0x44);
            var s1 = Avx.Shuffle(t0, t2, 0xEE);
            var s2 = Avx.Shuffle(t1, t3, 0x44);
            var s3 = Avx.Shuffle(t1, t3, 0xEE);
            var s4 = Avx.Shuffle(t4, t6, 0x44);
            var s5 = Avx.Shuffle(t4, t6, 0xEE);
            var s6 = Avx.Shuffle(t5, t7, 0x44);
            var s7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
            Avx.Store(destination + 1 * destinationStride, Avx.Permute2x128(s1, s5, 0x20));
            Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(s2, s6, 0x20));
            Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(s3, s7, 0x20));
            Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(s0, s4, 0x31));
            Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(s1, s5, 0x31));
            Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(s2, s6, 0x31));
            Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(s3, s7, 0x31));
        }
        return kk;
    }

    /// <summary>
    /// Packs columns [<paramref name="columnStart"/>, <paramref name="columnEnd"/>) of op(B),
    /// depth block by depth block (those from <paramref name="depthStart"/> to <paramref name="depthEnd"/>), into panels of Nr columns, each stored depth-major (the Nr
    /// values of one depth step are adjacent), zero-padding the last panel. The block for depth
    /// offset pc starts at pc × paddedN, its panel for column jr at jr × kc past that. Full
    /// panels of a B read in place are skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in BlockedProblem blocked, int columnStart, int columnEnd, int depthStart = 0, int depthEnd = int.MaxValue)
    {
        ref readonly var p = ref blocked.Problem;
        int nr = Nr, paddedN = RoundUp(p.N, nr), depthStep = blocked.DepthStep;
        for (int pc = depthStart; pc < Math.Min(p.K, depthEnd); pc += depthStep)
        {
            int kc = Math.Min(depthStep, p.K - pc);
            for (int jr = columnStart; jr < columnEnd; jr += nr)
            {
                T* destination = blocked.PackedB + (nint)pc * paddedN + jr * kc;
                int columns = Math.Min(nr, p.N - jr);
                if (blocked.ReadBInPlace && columns == nr) continue;
                if (p.TransposeB)
                {
                    // Stored n × k: gather one depth step of the panel at a time, so the
                    // writes stream and the strided reads hit the same Nr lines again.
                    T* source = p.B + (nint)jr * p.K + pc;
                    int transposed = 0;
                    if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr)
                    {
                        for (int j = 0; j < nr; j += 8)
                            transposed = TransposeRowsOf8((float*)(source + (nint)j * p.K), p.K, (float*)(destination + j), nr, kc);
                    }
                    for (int kk = transposed; kk < kc; kk++)
                    {
                        T* d = destination + kk * nr;
                        for (int j = 0; j < columns; j++) d[j] = source[(nint)j * p.K + kk];
                        for (int j = columns; j < nr; j++) d[j] = T.Zero;
                    }
                }
                else
                {
                    T* source = p.B + (nint)pc * p.Ldb + jr;
                    if (columns == nr)
                    {
                        // A fixed-size copy the JIT unrolls into a few vector moves: far
                        // cheaper than a general copy call per row of a narrow panel.
                        for (int kk = 0; kk < kc; kk++, source += p.Ldb)
                            Unsafe.CopyBlockUnaligned(destination + kk * nr, source, (uint)(Nr * sizeof(T)));
                    }
                    else
                    {
                        for (int kk = 0; kk < kc; kk++, source += p.Ldb)
                        {
                            T* d = destination + kk * nr;
                            Unsafe.InitBlockUnaligned(d, 0, (uint)(Nr * sizeof(T)));
                            CopyShort(source, d, columns);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Splits <paramref name="length"/> into equal steps no longer than <paramref name="limit"/>, so no block is a sliver.</summary>
    private static int BalancedStep(int length, int limit, int multiple)
    {
        int blocks = Math.Max(1, (length + limit - 1) / limit);
        return RoundUp((length + blocks - 1) / blocks, multiple);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A per-thread pinned buffer, grown on demand and then reused, aligned for full-width loads.</summary>
    private static T* AlignedBuffer(ref T[]? buffer, int length)
    {
        int padding = AlignmentBytes / sizeof(T);
        if (buffer is null || buffer.Length < length + padding)
            buffer = GC.AllocateUninitializedArray<T>(length + padding, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((address + AlignmentBytes - 1) & ~(nint)(AlignmentBytes - 1));
    }

    /// <summary>
    /// The operands of one call, as raw pointers pinned by <see cref="Run"/> for its whole duration.
    /// A row-major B and C may be column ranges of wider matrices: their rows are
    /// <paramref name="ldb"/> and <paramref name="ldc"/> elements apart.
    /// </summary>
    private readonly struct Problem(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int k, int n, bool accumulate, int ldb, int ldc)
    {
        public readonly T* A = a;
        public readonly T* B = b;
        public readonly T* C = c;
        public readonly int M = m;
        public readonly int K = k;
        public readonly int N = n;
        public readonly int Ldb = ldb;
        public readonly int Ldc = ldc;
        public readonly bool TransposeA = transposeA;
        public readonly bool TransposeB = transposeB;
        public readonly bool Accumulate = accumulate;
    }

    /// <summary>A problem with its B packed (or read in place), and the block sizes every worker uses.</summary>
    private readonly struct BlockedProblem(in Problem problem, T* packedB, bool readBInPlace, bool packA, int depthStep, int rowStep, int columnStep)
    {
        public readonly Problem Problem = problem;
        public readonly T* PackedB = packedB;
        /// <summary>Full panels of B are read in place; only a ragged last one is packed.</summary>
        public readonly bool ReadBInPlace = readBInPlace;
        /// <summary>Each block of A is packed (by the thread computing it) before the micro-kernel reads it.</summary>
        public readonly bool PackA = packA;
        public readonly int DepthStep = depthStep;
        public readonly int RowStep = rowStep;
        public readonly int ColumnStep = columnStep;

        public int RowBlocks => (Problem.M + RowStep - 1) / RowStep;

        public int ColumnBlocks => (Problem.N + ColumnStep - 1) / ColumnStep;

        public int BlockCount => RowBlocks * ColumnBlocks;

        public int DepthBlocks => (Problem.K + DepthStep - 1) / DepthStep;
    }

    /// <summary>
    /// Runs a problem on the <see cref="ForkJoin"/> workers. A large one (<see cref="Run"/>) in
    /// two rounds: the workers pack B panels in column blocks, then compute the blocks of C from
    /// the shared packed B. A short one, whose rows fit one L2 block (<see cref="RunShares"/>),
    /// as one equal share of C per worker. One instance is cached and reused, so a parallel call
    /// allocates nothing.
    /// </summary>
    private sealed class ParallelJob : IBlockJob
    {
        private static ParallelJob? s_spare;

        private BlockedProblem _blocked;
        private Round _round;
        private int _parts;

        private enum Round { PackBlocks, ComputeBlocks, PackShares, ComputeRowShares, ComputeColumnShares }

        public static void Run(in BlockedProblem blocked)
        {
            var job = Interlocked.Exchange(ref s_spare, null) ?? new ParallelJob();
            job._blocked = blocked;
            try
            {
                // Packing is shared out by column block and depth block: a narrow B (64 columns,
                // one column block) would otherwise be packed by one thread while the other waits.
                job._round = Round.PackBlocks;
                job.RunAll(blocked.ColumnBlocks * blocked.DepthBlocks);
                job._round = Round.ComputeBlocks;
                job.RunAll(blocked.BlockCount);
            }
            finally
            {
                job._blocked = default;
                s_spare = job;
            }
        }

        /// <summary>
        /// Splits C into <paramref name="workers"/> shares of whole tiles, as equal as the tiles
        /// allow, along the dimension with more of them (the seed MLP's first layer: the weight
        /// gradient's 784 columns, 12 and 12.5 panels; the forward product's 256 rows, 128 each).
        /// A split by columns is one fork-join round: each share packs its own columns of B (only
        /// a ragged last panel when B is read in place) and reads all of A, whose rows fit L2. A
        /// split by rows needs all of B packed first: a round of equal shares of the packing, or,
        /// when B is read in place, the ragged last panel alone on this thread. Shares start at
        /// multiples of 64 bytes from C's start (Nr columns or Mr full rows are), so when C is
        /// aligned no cache line is written by both; and every tile is the one-thread path's, so
        /// the values are the same bit for bit.
        /// </summary>
        public static void RunShares(in BlockedProblem blocked, int workers)
        {
            var job = Interlocked.Exchange(ref s_spare, null) ?? new ParallelJob();
            job._blocked = blocked;
            try
            {
                ref readonly var p = ref blocked.Problem;
                int rowTiles = (p.M + Mr - 1) / Mr, panels = (p.N + Nr - 1) / Nr;
                bool byColumns = panels >= rowTiles;
                if (!byColumns)
                {
                    if (blocked.ReadBInPlace)
                    {
                        PackB(blocked, 0, p.N);
                    }
                    else
                    {
                        job._round = Round.PackShares;
                        job._parts = Math.Min(workers, panels * blocked.DepthBlocks);
                        job.RunAll(job._parts);
                    }
                }
                job._round = byColumns ? Round.ComputeColumnShares : Round.ComputeRowShares;
                job._parts = Math.Min(workers, byColumns ? panels : rowTiles);
                job.RunAll(job._parts);
            }
            finally
            {
                job._blocked = default;
                s_spare = job;
            }
        }

        public void RunBlock(int block)
        {
            ref readonly var b = ref _blocked;
            ref readonly var p = ref b.Problem;
            switch (_round)
            {
                case Round.PackBlocks:
                {
                    int start = block % b.ColumnBlocks * b.ColumnStep, depth = block / b.ColumnBlocks * b.DepthStep;
                    PackB(b, start, Math.Min(start + b.ColumnStep, p.N), depth, depth + b.DepthStep);
                    break;
                }
                case Round.ComputeBlocks:
                {
                    int rowStart = block / b.ColumnBlocks * b.RowStep, columnStart = block % b.ColumnBlocks * b.ColumnStep;
                    ComputeBlock(b, rowStart, Math.Min(rowStart + b.RowStep, p.M), columnStart, Math.Min(columnStart + b.ColumnStep, p.N));
                    break;
                }
                case Round.PackShares:
                {
                    // Units of one panel by one depth block, depth block by depth block.
                    int panels = (p.N + Nr - 1) / Nr, units = panels * b.DepthBlocks;
                    for (int unit = ShareStart(block, _parts, units); unit < ShareStart(block + 1, _parts, units); unit++)
                    {
                        int column = unit % panels * Nr, depth = unit / panels * b.DepthStep;
                        PackB(b, column, Math.Min(column + Nr, p.N), depth, depth + b.DepthStep);
                    }
                    break;
                }
                case Round.ComputeRowShares:
                {
                    int tiles = (p.M + Mr - 1) / Mr;
                    int rowStart = ShareStart(block, _parts, tiles) * Mr, rowEnd = Math.Min(ShareStart(block + 1, _parts, tiles) * Mr, p.M);
                    ShareTrace?.Invoke(block, rowStart, rowEnd - rowStart, 0, p.N);
                    ComputeBlock(b, rowStart, rowEnd, 0, p.N);
                    break;
                }
                case Round.ComputeColumnShares:
                {
                    int panels = (p.N + Nr - 1) / Nr;
                    int columnStart = ShareStart(block, _parts, panels) * Nr, columnEnd = Math.Min(ShareStart(block + 1, _parts, panels) * Nr, p.N);
                    ShareTrace?.Invoke(block, 0, p.M, columnStart, columnEnd - columnStart);
                    PackB(b, columnStart, columnEnd);
                    ComputeBlock(b, 0, p.M, columnStart, columnEnd);
                    break;
                }
            }
        }

        /// <summary>The first of <paramref name="units"/> that share <paramref name="part"/> of <paramref name="parts"/> starts at (the end, for part = parts).</summary>
        private static int ShareStart(int part, int parts, int units) => (int)((long)units * part / parts);

        private void RunAll(int blockCount)
        {
            if (ForkJoin.Shared?.TryRun(this, blockCount) == true) return;
            for (int block = 0; block < blockCount; block++) RunBlock(block);
        }
    }
}
