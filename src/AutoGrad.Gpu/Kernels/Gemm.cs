using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Kernels;

/// <summary>How an operand of <see cref="Gemm"/> is stored: element (row, column) of the rows × columns matrix the product reads.</summary>
internal interface IMatrixLayout
{
    float Load(ArrayView<float> data, int row, int column, int rows, int columns);
}

/// <summary>Stored as it is read: row-major rows × columns.</summary>
internal readonly struct RowMajor : IMatrixLayout
{
    public float Load(ArrayView<float> data, int row, int column, int rows, int columns) => data[row * columns + column];
}

/// <summary>Stored transposed: a row-major columns × rows matrix (a dense layer's weights read as Wᵀ, a batch of adjoints read as dYᵀ).</summary>
internal readonly struct Transposed : IMatrixLayout
{
    public float Load(ArrayView<float> data, int row, int column, int rows, int columns) => data[column * rows + row];
}

/// <summary>
/// <c>C = op(A) · op(B)</c>, C m × n row-major, overwritten. <see cref="Multiply{TA, TB}"/> is the tiled shared-memory
/// kernel GPUs run; <see cref="MultiplyDirect{TA, TB}"/> reads the operands straight from memory without group
/// barriers, for ILGPU's CPU accelerator, whose barriers are OS-thread barriers (the tiled kernel's thousands of
/// them per product took minutes per training step there on this loaded machine).
/// </summary>
/// <remarks>
/// The tiled kernel: A group of
/// g × g threads owns a 2g × 2g tile of C, each thread a 2 × 2 block of it (registers); per step along k the group
/// stages a 2g × 2g block of op(A) and of op(B) in shared memory. Groups stride over the tiles, so a launch may
/// use fewer groups than tiles.
/// </remarks>
internal static class Gemm
{
    /// <summary>The tiled kernel's largest group side; shared memory is sized for it.</summary>
    public const int MaxGroupSide = 16;

    private const int MaxTile = 2 * MaxGroupSide;

    /// <summary>One output element per iteration of a grid-stride loop, its dot product read from global memory.</summary>
    public static void MultiplyDirect<TA, TB>(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k, int stride)
        where TA : struct, IMatrixLayout
        where TB : struct, IMatrixLayout
    {
        for (int e = index; e < m * n; e += stride)
        {
            int row = e / n, column = e - row * n;
            float sum = 0;
            for (int p = 0; p < k; p++) sum += default(TA).Load(a, row, p, m, k) * default(TB).Load(b, p, column, k, n);
            c[e] = sum;
        }
    }

    /// <summary>The tiled kernel, launched with square groups of at most <see cref="MaxGroupSide"/>².</summary>
    public static void Multiply<TA, TB>(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k)
        where TA : struct, IMatrixLayout
        where TB : struct, IMatrixLayout
    {
        var aTile = SharedMemory.Allocate<float>(MaxTile * MaxTile); // [row, step]
        var bTile = SharedMemory.Allocate<float>(MaxTile * MaxTile); // [step, column]
        int side = Group.DimX, tile = 2 * side;
        int tx = Group.IdxX, ty = Group.IdxY, thread = ty * side + tx;
        int tileColumns = (n + tile - 1) / tile;
        int tileCount = ((m + tile - 1) / tile) * tileColumns;
        for (int t = Grid.IdxX; t < tileCount; t += Grid.DimX)
        {
            int row0 = t / tileColumns * tile, column0 = t % tileColumns * tile;
            float c00 = 0, c01 = 0, c10 = 0, c11 = 0;
            for (int k0 = 0; k0 < k; k0 += tile)
            {
                for (int e = thread; e < tile * tile; e += side * side)
                {
                    int r = e / tile, q = e - r * tile;
                    aTile[e] = row0 + r < m && k0 + q < k ? default(TA).Load(a, row0 + r, k0 + q, m, k) : 0;
                    bTile[e] = k0 + r < k && column0 + q < n ? default(TB).Load(b, k0 + r, column0 + q, k, n) : 0;
                }
                Group.Barrier();
                for (int q = 0; q < tile; q++)
                {
                    float a0 = aTile[ty * tile + q], a1 = aTile[(ty + side) * tile + q];
                    float b0 = bTile[q * tile + tx], b1 = bTile[q * tile + tx + side];
                    c00 += a0 * b0;
                    c01 += a0 * b1;
                    c10 += a1 * b0;
                    c11 += a1 * b1;
                }
                Group.Barrier();
            }
            int row = row0 + ty, column = column0 + tx;
            if (row < m && column < n) c[row * n + column] = c00;
            if (row < m && column + side < n) c[row * n + column + side] = c01;
            if (row + side < m && column < n) c[(row + side) * n + column] = c10;
            if (row + side < m && column + side < n) c[(row + side) * n + column + side] = c11;
        }
    }
}
