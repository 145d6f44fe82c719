using AutoGrad.Gpu.Activations;
using AutoGrad.NN.Layers;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Kernels;

/// <summary>
/// The kernels of one accelerator, each compiled on first use and then kept (ILGPU takes 60-300 ms per kernel),
/// with the launch shapes that suit the accelerator: how many threads a grid-stride loop runs, the GEMM's group
/// side and group count, the summary reduction's group size.
/// </summary>
internal sealed class KernelSet
{
    private readonly Accelerator _accelerator;
    private readonly Lazy<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>> _multiplyTransposedB, _multiply, _multiplyTransposedA;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>> _directTransposedB, _direct, _directTransposedA;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>> _addBias;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>> _sumColumns;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, int, int>> _copy;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, int>> _softmaxCrossEntropy;
    private readonly Lazy<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>> _summarize;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, float, int, int>> _sgd;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int>> _momentum;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep, int, int>> _adam;
    private readonly Lazy<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, VarioEtaStep, int, int>> _varioEta;
    private readonly Dictionary<ActivationKind, ActivationKernels> _activations = [];

    /// <param name="accelerator">The accelerator the kernels compile for.</param>
    /// <param name="tiledGemm">Whether products run the tiled shared-memory kernel; by default on GPUs and not on ILGPU's CPU accelerator (see <see cref="Gemm"/>).</param>
    public KernelSet(Accelerator accelerator, bool? tiledGemm = null)
    {
        _accelerator = accelerator;
        TiledGemm = tiledGemm ?? accelerator.AcceleratorType != AcceleratorType.CPU;
        int maxGroup = accelerator.MaxNumThreadsPerGroup;
        GroupSide = Math.Min(Gemm.MaxGroupSide, (int)Math.Sqrt(maxGroup));
        GemmGroups = Math.Max(1, accelerator.MaxNumThreads / (GroupSide * GroupSide));
        SummaryGroup = 1 << (int)Math.Log2(Math.Min(LossKernels.MaxSummaryGroup, maxGroup));
        Threads = accelerator.MaxNumThreads;

        _multiplyTransposedB = Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Gemm.Multiply<RowMajor, Transposed>);
        _multiply = Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Gemm.Multiply<RowMajor, RowMajor>);
        _multiplyTransposedA = Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Gemm.Multiply<Transposed, RowMajor>);
        _directTransposedB = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Gemm.MultiplyDirect<RowMajor, Transposed>);
        _direct = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Gemm.MultiplyDirect<RowMajor, RowMajor>);
        _directTransposedA = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Gemm.MultiplyDirect<Transposed, RowMajor>);
        _addBias = LoadStrided<ArrayView<float>, ArrayView<float>, int, int, int>(ElementwiseKernels.AddBias);
        _sumColumns = LoadStrided<ArrayView<float>, ArrayView<float>, int, int, int>(ElementwiseKernels.SumColumns);
        _copy = LoadStrided<ArrayView<float>, ArrayView<float>, int, int>(ElementwiseKernels.Copy);
        _softmaxCrossEntropy = LoadStrided<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, int>(LossKernels.SoftmaxCrossEntropy);
        _summarize = Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(LossKernels.Summarize);
        _sgd = LoadStrided<ArrayView<float>, ArrayView<float>, float, int, int>(OptimizerKernels.Sgd);
        _momentum = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int>(OptimizerKernels.Momentum);
        _adam = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep, int, int>(OptimizerKernels.Adam);
        _varioEta = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, VarioEtaStep, int, int>(OptimizerKernels.VarioEta);
    }

    /// <summary>Whether the products run the tiled shared-memory kernel (else the direct one).</summary>
    public bool TiledGemm { get; }

    /// <summary>Threads per grid-stride launch: as many as the accelerator runs at once.</summary>
    public int Threads { get; }

    /// <summary>The GEMM group is GroupSide × GroupSide threads, each computing 2 × 2 outputs.</summary>
    public int GroupSide { get; }

    /// <summary>GEMM groups per launch: as many as run at once; each strides over the tiles.</summary>
    public int GemmGroups { get; }

    /// <summary>Threads of the one group that sums a step's loss and gradient norm (a power of two).</summary>
    public int SummaryGroup { get; }

    /// <summary><c>c = a · bᵀ</c>: a is m × k, b is n × k (a dense layer's forward pass).</summary>
    public void MultiplyTransposedB(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int k, int n)
    {
        if (TiledGemm) _multiplyTransposedB.Value(GemmConfig(m, n), a, b, c, m, n, k);
        else _directTransposedB.Value(Extent(m * n), a, b, c, m, n, k, Extent(m * n));
    }

    /// <summary><c>c = a · b</c>: a is m × k, b is k × n (the input's adjoint, dY · W).</summary>
    public void Multiply(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int k, int n)
    {
        if (TiledGemm) _multiply.Value(GemmConfig(m, n), a, b, c, m, n, k);
        else _direct.Value(Extent(m * n), a, b, c, m, n, k, Extent(m * n));
    }

    /// <summary><c>c = aᵀ · b</c>: a is k × m, b is k × n (the weights' gradient, dYᵀ · X).</summary>
    public void MultiplyTransposedA(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int k, int n)
    {
        if (TiledGemm) _multiplyTransposedA.Value(GemmConfig(m, n), a, b, c, m, n, k);
        else _directTransposedA.Value(Extent(m * n), a, b, c, m, n, k, Extent(m * n));
    }

    public void AddBias(ArrayView<float> y, ArrayView<float> bias, int rows, int columns) =>
        _addBias.Value(Extent(rows * columns), y, bias, rows * columns, columns, Extent(rows * columns));

    public void SumColumns(ArrayView<float> x, ArrayView<float> sums, int rows, int columns) =>
        _sumColumns.Value(Extent(columns), x, sums, rows, columns, Extent(columns));

    public void Copy(ArrayView<float> source, ArrayView<float> target, int length) =>
        _copy.Value(Extent(length), source, target, length, Extent(length));

    public void SoftmaxCrossEntropy(ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> dlogits, ArrayView<float> rowLoss, int rows, int classes) =>
        _softmaxCrossEntropy.Value(Extent(rows), logits, labels, dlogits, rowLoss, rows, classes, Extent(rows));

    public void Summarize(ArrayView<float> rowLoss, ArrayView<float> gradient, ArrayView<float> summary, int rows, int length) =>
        _summarize.Value(new KernelConfig(1, SummaryGroup), rowLoss, gradient, summary, rows, length);

    public void Sgd(ArrayView<float> parameters, ArrayView<float> gradient, float rate, int length) =>
        _sgd.Value(Extent(length), parameters, gradient, rate, length, Extent(length));

    public void Momentum(ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> velocity, float rate, float momentum, int length) =>
        _momentum.Value(Extent(length), parameters, gradient, velocity, rate, momentum, length, Extent(length));

    public void Adam(ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> first, ArrayView<float> second, AdamStep step, int length) =>
        _adam.Value(Extent(length), parameters, gradient, first, second, step, length, Extent(length));

    public void VarioEta(ArrayView<float> parameters, ArrayView<float> gradient, ArrayView<float> mean, ArrayView<float> variance, VarioEtaStep step, int length) =>
        _varioEta.Value(Extent(length), parameters, gradient, mean, variance, step, length, Extent(length));

    /// <summary>The forward and pullback kernels of <paramref name="kind"/>, compiled on first request.</summary>
    /// <exception cref="NotSupportedException">The parametric ReLU, whose slope's gradient would need a reduction the device path lacks.</exception>
    public ActivationKernels Activation(ActivationKind kind)
    {
        lock (_activations)
        {
            if (!_activations.TryGetValue(kind, out var kernels)) _activations[kind] = kernels = LoadActivation(kind);
            return kernels;
        }
    }

    private ActivationKernels LoadActivation(ActivationKind kind) => kind switch
    {
        ActivationKind.Sigmoid => LoadActivation<SigmoidActivation>(),
        ActivationKind.Tanh => LoadActivation<TanhActivation>(),
        ActivationKind.Relu => LoadActivation<ReluActivation>(),
        ActivationKind.LeakyRelu => LoadActivation<LeakyReluActivation>(),
        ActivationKind.AbsoluteLeakyRelu => LoadActivation<AbsoluteLeakyReluActivation>(),
        ActivationKind.Elu => LoadActivation<EluActivation>(),
        ActivationKind.Selu => LoadActivation<SeluActivation>(),
        ActivationKind.Gelu => LoadActivation<GeluActivation>(),
        ActivationKind.Swish => LoadActivation<SwishActivation>(),
        ActivationKind.Mish => LoadActivation<MishActivation>(),
        ActivationKind.Relu6 => LoadActivation<Relu6Activation>(),
        _ => throw new NotSupportedException($"The ILGPU device does not run the {kind} activation yet (its trained slope needs a gradient reduction); train it with --device cpu."),
    };

    private ActivationKernels LoadActivation<TActivation>() where TActivation : struct, IKernelActivation
    {
        var forward = LoadStrided<ArrayView<float>, ArrayView<float>, float, int, int>(ElementwiseKernels.Activate<TActivation>);
        var pullback = LoadStrided<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, int, int>(ElementwiseKernels.ActivatePullback<TActivation>);
        return new ActivationKernels(
            (x, y, parameter, length) => forward.Value(Extent(length), x, y, parameter, length, Extent(length)),
            (x, dy, dx, parameter, length) => pullback.Value(Extent(length), x, dy, dx, parameter, length, Extent(length)));
    }

    private KernelConfig GemmConfig(int m, int n)
    {
        int tile = 2 * GroupSide;
        int tiles = ((m + tile - 1) / tile) * ((n + tile - 1) / tile);
        return new KernelConfig(new Index3D(Math.Min(tiles, GemmGroups), 1, 1), new Index3D(GroupSide, GroupSide, 1));
    }

    private int Extent(int length) => Math.Max(1, Math.Min(length, Threads));

    private Lazy<Action<KernelConfig, T1, T2, T3, T4, T5>> Load<T1, T2, T3, T4, T5>(Action<T1, T2, T3, T4, T5> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        new(() => _accelerator.LoadStreamKernel(kernel));

    private Lazy<Action<KernelConfig, T1, T2, T3, T4, T5, T6>> Load<T1, T2, T3, T4, T5, T6>(Action<T1, T2, T3, T4, T5, T6> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        new(() => _accelerator.LoadStreamKernel(kernel));

    private Lazy<Action<Index1D, T1, T2, T3, T4>> LoadStrided<T1, T2, T3, T4>(Action<Index1D, T1, T2, T3, T4> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        new(() => _accelerator.LoadAutoGroupedStreamKernel(kernel));

    private Lazy<Action<Index1D, T1, T2, T3, T4, T5>> LoadStrided<T1, T2, T3, T4, T5>(Action<Index1D, T1, T2, T3, T4, T5> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        new(() => _accelerator.LoadAutoGroupedStreamKernel(kernel));

    private Lazy<Action<Index1D, T1, T2, T3, T4, T5, T6>> LoadStrided<T1, T2, T3, T4, T5, T6>(Action<Index1D, T1, T2, T3, T4, T5, T6> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        new(() => _accelerator.LoadAutoGroupedStreamKernel(kernel));

    private Lazy<Action<Index1D, T1, T2, T3, T4, T5, T6, T7>> LoadStrided<T1, T2, T3, T4, T5, T6, T7>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct =>
        new(() => _accelerator.LoadAutoGroupedStreamKernel(kernel));
}

/// <summary>An activation's compiled kernels: <c>Forward(x, y, parameter, length)</c> and <c>Pullback(x, dy, dx, parameter, length)</c>.</summary>
internal sealed record ActivationKernels(
    Action<ArrayView<float>, ArrayView<float>, float, int> Forward,
    Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, int> Pullback);
