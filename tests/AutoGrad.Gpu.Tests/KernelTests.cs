using AutoGrad.Gpu.Kernels;
using AutoGrad.Kernels;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;
using ILGPU;
using ILGPU.Runtime;

namespace AutoGrad.Gpu.Tests;

/// <summary>Each device kernel against the SIMD kernel it replaces, on ILGPU's CPU accelerator, at ragged sizes.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class KernelTests(CpuAcceleratorFixture fixture)
{
    private readonly KernelSet _kernels = fixture.Device.Kernels;
    private readonly Accelerator _accelerator = fixture.Device.Accelerator;

    public static TheoryData<bool, int, int, int> Shapes(int m2, int k2, int n2) => new()
    {
        { true, 1, 1, 1 }, { true, 37, 45, 29 }, { true, m2, k2, n2 },
        { false, 1, 1, 1 }, { false, 37, 45, 29 }, { false, m2, k2, n2 },
    };

    [Theory]
    [MemberData(nameof(Shapes), 64, 70, 10)]
    public void Dense_forward_product_matches_the_SIMD_MultiplyTransposedB(bool tiled, int m, int k, int n)
    {
        var a = Compare.Random(m * k, 1);
        var b = Compare.Random(n * k, 2);
        var expected = new float[m * n];
        MatMul.MultiplyTransposedB(a, b, expected, m, k, n);
        Compare.Close(expected, Run(m * n, (c, va, vb) => Gemm(tiled).MultiplyTransposedB(va, vb, c, m, k, n), a, b), "a·bᵀ");
    }

    [Theory]
    [MemberData(nameof(Shapes), 33, 10, 64)]
    public void Input_adjoint_product_matches_the_SIMD_Multiply(bool tiled, int m, int k, int n)
    {
        var a = Compare.Random(m * k, 3);
        var b = Compare.Random(k * n, 4);
        var expected = new float[m * n];
        MatMul.Multiply(a, b, expected, m, k, n);
        Compare.Close(expected, Run(m * n, (c, va, vb) => Gemm(tiled).Multiply(va, vb, c, m, k, n), a, b), "a·b");
    }

    [Theory]
    [MemberData(nameof(Shapes), 10, 65, 33)]
    public void Weight_gradient_product_matches_the_SIMD_MultiplyTransposedA(bool tiled, int m, int k, int n)
    {
        var a = Compare.Random(k * m, 5);
        var b = Compare.Random(k * n, 6);
        var expected = new float[m * n];
        MatMul.MultiplyTransposedA(a, b, expected, m, k, n);
        Compare.Close(expected, Run(m * n, (c, va, vb) => Gemm(tiled).MultiplyTransposedA(va, vb, c, m, k, n), a, b), "aᵀ·b");
    }

    [Fact]
    public void The_CPU_accelerator_trains_with_the_direct_product()
    {
        Assert.False(_kernels.TiledGemm);
        Assert.True(fixture.TiledKernels.TiledGemm);
    }

    [Fact]
    public void Bias_kernels_match_the_row_kernels()
    {
        const int rows = 13, columns = 7;
        var x = Compare.Random(rows * columns, 7);
        var bias = Compare.Random(columns, 8);
        var expected = new float[rows * columns];
        RowKernels.AddRowVector<float>(x, bias, expected, rows, columns);
        using var y = Upload(x);
        using var b = Upload(bias);
        _kernels.AddBias(y.View, b.View, rows, columns);
        Compare.Close(expected, y.GetAsArray1D(), "x + bias");

        var sums = new float[columns];
        RowKernels.SumColumns<float>(x, sums, rows, columns);
        using var input = Upload(x);
        using var output = _accelerator.Allocate1D<float>(columns);
        _kernels.SumColumns(input.View, output.View, rows, columns);
        Compare.Close(sums, output.GetAsArray1D(), "Σ rows");
    }

    public static TheoryData<ActivationKind> KernelActivationKinds() =>
        [.. Enum.GetValues<ActivationKind>().Where(k => k != ActivationKind.ParametricRelu)];

    [Theory]
    [MemberData(nameof(KernelActivationKinds))]
    public void Activation_and_its_generated_pullback_match_the_SIMD_layer(ActivationKind kind)
    {
        var x = Compare.Random(301, 9, scale: 4);
        x[0] = 0;
        var dy = Compare.Random(x.Length, 10);
        var layer = new Activation(x.Length, kind, 0.05f);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var record = new AutoGrad.Differentiation.ForwardRecord();
        layer.Forward([], x, y, 1, record);
        layer.Backward([], x, y, dy, dx, [], 1, record);
        record.Clear();

        var kernels = _kernels.Activation(kind);
        using var deviceX = Upload(x);
        using var deviceY = _accelerator.Allocate1D<float>(x.Length);
        using var deviceDy = Upload(dy);
        using var deviceDx = _accelerator.Allocate1D<float>(x.Length);
        kernels.Forward(deviceX.View, deviceY.View, layer.Parameter, x.Length);
        kernels.Pullback(deviceX.View, deviceDy.View, deviceDx.View, layer.Parameter, x.Length);
        Compare.Close(y, deviceY.GetAsArray1D(), $"{kind}(x)");
        Compare.Close(dx, deviceDx.GetAsArray1D(), $"d{kind}");
    }

    [Fact]
    public void The_parametric_relu_is_refused_with_a_message_naming_it()
    {
        var error = Assert.Throws<NotSupportedException>(() => _kernels.Activation(ActivationKind.ParametricRelu));
        Assert.Contains("ParametricRelu", error.Message);
    }

    [Fact]
    public void Softmax_cross_entropy_matches_the_generated_loss_gradient()
    {
        const int rows = 19, classes = 10;
        var logits = Compare.Random(rows * classes, 11, scale: 5);
        var labels = Enumerable.Range(0, rows).Select(r => (r * 7) % classes).ToArray();
        var targets = new float[rows * classes];
        for (int r = 0; r < rows; r++) targets[r * classes + labels[r]] = 1;
        var expectedGradient = new float[rows * classes];
        float expectedLoss = Losses.SoftmaxCrossEntropyGradient(logits, targets, rows, classes, expectedGradient);

        using var deviceLogits = Upload(logits);
        using var deviceLabels = _accelerator.Allocate1D(labels);
        using var gradient = _accelerator.Allocate1D<float>(rows * classes);
        using var rowLoss = _accelerator.Allocate1D<float>(rows);
        using var summary = _accelerator.Allocate1D<float>(3);
        _kernels.SoftmaxCrossEntropy(deviceLogits.View, deviceLabels.View, gradient.View, rowLoss.View, rows, classes);
        _kernels.Summarize(rowLoss.View, gradient.View, summary.View, rows, rows * classes);
        var totals = summary.GetAsArray1D();

        Compare.Close(expectedGradient, gradient.GetAsArray1D(), "dlogits");
        Assert.Equal(expectedLoss, totals[0] / rows, 1e-4 * Math.Abs(expectedLoss));
        double norm = Math.Sqrt(expectedGradient.Sum(g => (double)g * g));
        Assert.Equal(norm, Math.Sqrt(totals[1]), 1e-4 * norm);
        Assert.Equal(0, totals[2]);
    }

    [Fact]
    public void The_summary_counts_non_finite_gradient_elements()
    {
        var gradient = new[] { 1f, float.NaN, 2f, float.PositiveInfinity, float.MaxValue };
        using var deviceGradient = Upload(gradient);
        using var rowLoss = Upload([3f, 4f]);
        using var summary = _accelerator.Allocate1D<float>(3);
        _kernels.Summarize(rowLoss.View, deviceGradient.View, summary.View, 2, gradient.Length);
        var totals = summary.GetAsArray1D();
        Assert.Equal(7f, totals[0]);
        Assert.Equal(2f, totals[2]);
    }

    /// <summary>Both products on this accelerator: the tiled kernel GPUs run and the direct one the CPU accelerator trains with.</summary>
    private KernelSet Gemm(bool tiled) => tiled ? fixture.TiledKernels : _kernels;

    private MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] values) => _accelerator.Allocate1D(values);

    private float[] Run(int outputLength, Action<ArrayView<float>, ArrayView<float>, ArrayView<float>> kernel, float[] a, float[] b)
    {
        using var deviceA = Upload(a);
        using var deviceB = Upload(b);
        using var c = _accelerator.Allocate1D<float>(outputLength);
        kernel(c.View, deviceA.View, deviceB.View);
        return c.GetAsArray1D();
    }
}
