namespace AutoGrad.Tests.Gradients;

/// <summary>Generated gradients allocate nothing per call once pooled buffers have grown.</summary>
public class Allocation
{
    private const int Calls = 200;
    private const int Windows = 3;

    /// <summary>
    /// Bytes allocated by <see cref="Calls"/> calls after a warm-up: the least of three windows, since an
    /// allocation per call shows in every window while a one-off of the runtime's (tiering up the
    /// code under test, which another busy process can delay) shows in one at most.
    /// </summary>
    internal static long AllocatedBytes(Action call)
    {
        for (var i = 0; i < 20; i++) call();
        var fewest = long.MaxValue;
        for (var window = 0; window < Windows; window++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Calls; i++) call();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    [Fact]
    public void MeasurementSeesAnAllocation()
    {
        double[]? kept = null;
        Assert.True(AllocatedBytes(() => kept = new double[4]) >= Calls * 4 * sizeof(double));
        Assert.NotNull(kept);
    }

    /// <summary>Issue 8's constructs: local initialisers, stackalloc scratch, helpers rewriting one buffer in a loop.</summary>
    [Fact]
    public void LocalArraysAndRewrittenOutputs()
    {
        double[] x = [0.7, 1.3, -0.2], dx = new double[3];
        Assert.Equal(0, AllocatedBytes(() => LocalArrayFunctions.WeightedGradient(x, dx)));
        Assert.Equal(0, AllocatedBytes(() => LocalArrayFunctions.StackScratchGradient(x, dx)));
        Assert.Equal(0, AllocatedBytes(() => RewrittenOutputFunctions.TwiceOnOneBufferGradient(x, 0.5, dx, out _)));
        Assert.Equal(0, AllocatedBytes(() => RewrittenOutputFunctions.CalledInLoopGradient(x, 0.5, 4, dx, out _)));
    }

    /// <summary>Issue 8, point 1: windows of arrays as call inputs and outputs, and span locals naming them.</summary>
    [Fact]
    public void ArrayWindows()
    {
        double[] x = [0.7, 1.3, -0.2, 0.4, -0.9, 0.1], dx = new double[6];
        Assert.Equal(0, AllocatedBytes(() => WindowFunctions.RowNormsGradient(x, 3, 2, dx)));
        Assert.Equal(0, AllocatedBytes(() => WindowFunctions.ScratchPiecesGradient(x, 3, 2, dx)));
        Assert.Equal(0, AllocatedBytes(() => WindowFunctions.MovingWindowGradient(x, 4, dx)));
        Assert.Equal(0, AllocatedBytes(() => WindowFunctions.SpanLocalsGradient(x, 2, 3, dx)));
    }

    /// <summary>Issue 8, point 2: a new array in every iteration of a loop is one pooled array.</summary>
    [Fact]
    public void ArraysCreatedInLoops()
    {
        double[] x = [0.7, 1.3, -0.2, 0.4, -0.9, 0.1, 0.3, 0.8, -0.5], dx = new double[9];
        Assert.Equal(0, AllocatedBytes(() => LoopArrayFunctions.PerRowGradient(x, 3, 3, dx)));
        Assert.Equal(0, AllocatedBytes(() => LoopArrayFunctions.NestedGradient(x, 2, dx)));
    }

    /// <summary>Issue 8, points 3 and 4: structs of settings and guards cost nothing per call.</summary>
    [Fact]
    public void SettingsAndGuards()
    {
        double[] x = [0.7, 1.3, -0.2, 0.5], dx = new double[4];
        var h = new Hyper(1.5, 3);
        Assert.Equal(0, AllocatedBytes(() => SettingsFunctions.SmoothedGradient(x, h, dx)));
        Assert.Equal(0, AllocatedBytes(() => GuardFunctions.MeanGradient(x, 3, dx)));
        Assert.Equal(0, AllocatedBytes(() => GuardFunctions.LogOfGradient(2, out _)));
    }

    [Fact]
    public void ScalarGradient()
    {
        double sink = 0;
        var bytes = AllocatedBytes(() =>
        {
            sink += ScalarFunctions.SeedGradient(1, 2, 3, 4, out var da, out var db, out var dc, out var dd) + da + db + dc + dd;
        });
        Assert.Equal(0, bytes);
        Assert.Equal(Windows * Calls + 20, sink / (441 + 2 * 294 + 2 * 126), 9);
    }

    [Fact]
    public void RosenbrockGradientWithValueStack()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        var dx = new double[x.Length];
        Assert.Equal(0, AllocatedBytes(() => ArrayFunctions.RosenbrockGradient(x, dx)));
        Assert.Equal(0, AllocatedBytes(() => ArrayFunctions.RosenbrockPullback(x, 0.5, dx)));
    }

    [Fact]
    public void TangentsAndHessianVectorProducts()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        var v = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g = new double[x.Length];
        var h = new double[x.Length];
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.RosenbrockTangent(x, v, out _)));
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.RosenbrockHessianVectorProduct(x, v, g, h)));
        // Through calls: pooled zeros and scratch for the tangents an argument or gradient lacks.
        Assert.Equal(0, AllocatedBytes(() => HessianCallFunctions.EnergyHessianVectorProduct(x, 0.3, v, 0.2, g, out _, h, out _)));
        Assert.Equal(0, AllocatedBytes(() => HessianCallFunctions.HalvesHessianVectorProduct(x, 0.3, v, 0.2, g, out _, h, out _)));
        Assert.Equal(0, AllocatedBytes(() => HessianCallFunctions.RewrittenHessianVectorProduct(x, 0.3, v, 0.2, g, out _, h, out _)));
        double[] features = [.. Enumerable.Range(0, 60).Select(_ => random.NextDouble() - 0.5)];
        double[] labels = [.. Enumerable.Range(0, 20).Select(i => i % 3 == 0 ? 1.0 : -1.0)];
        var w = new double[3];
        var dw = new double[3];
        var hw = new double[3];
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.LogisticLossHessianVectorProduct(w, 0.1, features, labels, 3, v.AsSpan(0, 3), 0.5, dw, out _, hw, out _)));
        // Saved values and their tangents live on pooled stacks.
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.RepeatedSineHessianVectorProduct(0.8, 0.3, 20, 1, -1, out _, out _, out _, out _)));
        var residuals = new double[12];
        var t = Enumerable.Range(0, 12).Select(i => 0.1 * i).ToArray();
        var j = new double[12];
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.ExponentialResidualsJacobian(1, 0.5, 0, t, t, residuals, j, j, j)));
        var output = new double[2];
        double[] input = [0.1, 0.2, 0.3, 0.4];
        double[] weights = [0.5];
        var jscale = new double[2];
        var jx = new double[8];
        Assert.Equal(0, AllocatedBytes(() => ModeFunctions.MixingJacobian(input, 1, weights, output, jx, jscale)));
    }

    [Fact]
    public void NestedLoopGradient()
    {
        var bytes = AllocatedBytes(() => LoopFunctions.NestedLoopsGradient(0.4, 0.6, 20, 30, out _, out _));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void ArrayPullbackThroughNestedCalls()
    {
        var x = new double[] { 0.1, -0.4, 0.9, 0.3, -0.7 };
        var dx = new double[x.Length];
        var dc = new double[1];
        var bytes = AllocatedBytes(() => NestedCallFunctions.CallsInLoopPullback(x, 0.8, 1, dx, ref dc[0]));
        Assert.Equal(0, bytes);
    }
}
