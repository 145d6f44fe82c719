using AutoGrad.Differentiation;
using AutoGrad.Kernels;
using AutoGrad.NN;
using AutoGrad.NN.Functional;
using AutoGrad.NN.Layers;

namespace AutoGrad.Tests.NN;

/// <summary>
/// Every generated layer, activation and loss gradient against central finite differences. A
/// vector-valued function f is checked through the scalar L = Σ r ⊙ f with fixed random weights
/// r, whose gradient is the pullback of r.
/// </summary>
public class LayerGradientTests
{
    private const float Step = 1e-2f;

    public static TheoryData<ActivationKind> Kinds() => new(Enum.GetValues<ActivationKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Activation_pullback_matches_finite_differences(ActivationKind kind)
    {
        var random = new Random(3);
        // Inputs away from the kinks at 0 and 6, where finite differences straddle two slopes.
        var x = Enumerable.Range(0, 24).Select(i => (float)((random.NextDouble() * 2 - 1) * 4)).Select(v => MathF.Abs(v) < 0.1f || MathF.Abs(v - 6) < 0.1f ? v + 0.3f : v).ToArray();
        var weights = RandomVector(random, x.Length);
        var layer = new Activation(x.Length, kind, 0.1f);
        var parameters = new float[layer.ParameterCount];
        layer.Initialize(parameters, random);

        float Loss(float[] input, float[] p)
        {
            var y = new float[input.Length];
            layer.Forward(p, input, y, 1);
            return Dot(y, weights);
        }

        var dx = new float[x.Length];
        var dparameters = new float[parameters.Length];
        var record = new ForwardRecord();
        var y = new float[x.Length];
        layer.Forward(parameters, x, y, 1, record);
        layer.Backward(parameters, x, y, weights, dx, dparameters, 1, record);
        Assert.True(record.IsEmpty);

        AssertClose(FiniteDifferences(v => Loss(v, parameters), x), dx);
        if (parameters.Length > 0) AssertClose(FiniteDifferences(p => Loss(x, p), parameters), dparameters);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Dense_pullback_matches_finite_differences(bool bias, bool onInputs)
    {
        const int batch = 3, inputs = 5, outputs = 4;
        var random = new Random(5);
        var layer = new Dense(inputs, outputs, bias);
        var parameters = new float[layer.ParameterCount];
        layer.Initialize(parameters, random);
        if (bias) for (int i = inputs * outputs; i < parameters.Length; i++) parameters[i] = (float)random.NextDouble();
        var x = RandomVector(random, batch * inputs);
        var weights = RandomVector(random, batch * outputs);

        float Loss(float[] input, float[] p)
        {
            var y = new float[batch * outputs];
            layer.Forward(p, input, y, batch);
            return Dot(y, weights);
        }

        layer.NeedsInputGradient = !onInputs;
        var dx = onInputs ? [] : new float[x.Length];
        var dparameters = new float[parameters.Length];
        var record = new ForwardRecord();
        var y = new float[batch * outputs];
        layer.Forward(parameters, x, y, batch, record);
        layer.Backward(parameters, x, y, weights, dx, dparameters, batch, record);
        Assert.True(record.IsEmpty);

        AssertClose(FiniteDifferences(p => Loss(x, p), parameters), dparameters);
        if (!onInputs) AssertClose(FiniteDifferences(v => Loss(v, parameters), x), dx);
    }

    [Fact]
    public void Softmax_pullback_matches_finite_differences()
    {
        var random = new Random(7);
        var x = RandomVector(random, 12, scale: 3);
        var weights = RandomVector(random, 12);
        float Loss(float[] input)
        {
            var y = new float[input.Length];
            Activations.Softmax(input, y, 3, 4);
            return Dot(y, weights);
        }
        var dx = new float[x.Length];
        Activations.SoftmaxPullback(x, new float[x.Length], 3, 4, weights, dx);
        AssertClose(FiniteDifferences(Loss, x), dx);
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_is_softmax_minus_targets_over_rows()
    {
        const int rows = 3, classes = 4;
        var random = new Random(9);
        var logits = RandomVector(random, rows * classes, scale: 4);
        var targets = new float[rows * classes];
        targets[1] = targets[classes + 3] = targets[2 * classes] = 1;

        var dlogits = new float[logits.Length];
        var loss = Losses.SoftmaxCrossEntropy(logits, targets, rows, classes);
        Losses.SoftmaxCrossEntropyPullback(logits, targets, rows, classes, 1f, dlogits);

        AssertClose(FiniteDifferences(l => Losses.SoftmaxCrossEntropy(l, targets, rows, classes), logits), dlogits);
        var expectedLoss = 0.0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.AsSpan(r * classes, classes);
            var max = row.ToArray().Max();
            var sum = row.ToArray().Sum(v => Math.Exp(v - max));
            for (int c = 0; c < classes; c++)
            {
                var probability = Math.Exp(row[c] - max) / sum;
                Assert.Equal((probability - targets[r * classes + c]) / rows, dlogits[r * classes + c], 1e-5);
                if (targets[r * classes + c] == 1) expectedLoss -= Math.Log(probability) / rows;
            }
        }
        Assert.Equal(expectedLoss, loss, 1e-5);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(5, 10)]
    [InlineData(3, 37)]
    public void Sparse_softmax_cross_entropy_gradient_is_the_generated_one_on_one_hot_targets(int rows, int classes)
    {
        // 37 classes: rows long enough for the vectorised row path; 3 and 10: the short-row loops.
        var random = new Random(41);
        var logits = RandomVector(random, rows * classes, scale: 4);
        var labels = Enumerable.Range(0, rows).Select(r => (byte)((r * 5 + 2) % classes)).ToArray();
        var targets = new float[rows * classes];
        for (int r = 0; r < rows; r++) targets[r * classes + labels[r]] = 1;
        var expected = new float[logits.Length];
        float expectedLoss = Losses.SoftmaxCrossEntropyGradient(logits, targets, rows, classes, expected);

        var dlogits = Enumerable.Repeat(float.NaN, logits.Length).ToArray();
        float loss = Losses.SparseSoftmaxCrossEntropyGradient(logits, labels, rows, classes, dlogits);

        Assert.Equal(expectedLoss, loss, 1e-5f);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], dlogits[i], 1e-6f);
        AssertClose(FiniteDifferences(l => Losses.SoftmaxCrossEntropy(l, targets, rows, classes), logits), dlogits);
    }

    [Fact]
    public void Sparse_softmax_cross_entropy_is_stable_for_huge_logits_and_rejects_bad_labels()
    {
        float[] logits = [1000f, -1000f, 0f, 0f, 500f, 500f];
        var dlogits = new float[6];
        var loss = Losses.SparseSoftmaxCrossEntropyGradient(logits, [0, 1], 2, 3, dlogits);
        Assert.Equal(MathF.Log(2) / 2, loss, 1e-4f);
        Assert.All(dlogits, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(-0.25f, dlogits[4], 1e-6f);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SparseSoftmaxCrossEntropyGradient(logits, [0, 3], 2, 3, dlogits));
        Assert.Contains("Label 1 is 3, but there are 3 classes", error.Message);
        Assert.Throws<ArgumentException>(() => Losses.SparseSoftmaxCrossEntropyGradient(logits, [0], 2, 3, dlogits));
    }

    [Fact]
    public void Softmax_cross_entropy_is_stable_for_huge_logits()
    {
        float[] logits = [1000f, -1000f, 0f, 0f, 500f, 500f];
        float[] targets = [1, 0, 0, 0, 1, 0];
        var dlogits = new float[6];
        var loss = Losses.SoftmaxCrossEntropy(logits, targets, 2, 3);
        Losses.SoftmaxCrossEntropyPullback(logits, targets, 2, 3, 1f, dlogits);
        Assert.True(float.IsFinite(loss));
        Assert.All(dlogits, g => Assert.True(float.IsFinite(g)));
        Assert.Equal(MathF.Log(2) / 2, loss, 1e-4f);
    }

    [Fact]
    public void Mean_squared_error_and_binary_cross_entropy_match_finite_differences()
    {
        var random = new Random(11);
        var predictions = Enumerable.Range(0, 10).Select(_ => (float)(0.1 + 0.8 * random.NextDouble())).ToArray();
        var targets = Enumerable.Range(0, 10).Select(_ => (float)random.Next(2)).ToArray();

        var dmse = new float[10];
        Losses.MeanSquaredErrorPullback(predictions, targets, 1f, dmse);
        AssertClose(FiniteDifferences(p => Losses.MeanSquaredError(p, targets), predictions), dmse);
        for (int i = 0; i < 10; i++) Assert.Equal(2 * (predictions[i] - targets[i]) / 10, dmse[i], 1e-5f);

        var dbce = new float[10];
        Losses.BinaryCrossEntropyPullback(predictions, targets, 1f, dbce);
        AssertClose(FiniteDifferences(p => Losses.BinaryCrossEntropy(p, targets), predictions), dbce);
    }

    [Fact]
    public void Sequential_gradient_matches_finite_differences_and_allocates_nothing_after_warm_up()
    {
        const int batch = 4;
        var model = Sequential.Perceptron(6, [5, 4], 3, ActivationKind.Tanh).Initialize(13);
        var random = new Random(17);
        var inputs = RandomVector(random, batch * 6);
        byte[] labels = [0, 2, 1, 2];
        var gradient = new float[model.Parameters.Length];
        model.LossAndGradient(inputs, labels, batch, gradient);

        AssertLossGradientMatchesFiniteDifferences(model, inputs, labels, batch, gradient);

        for (int i = 0; i < 3; i++) model.LossAndGradient(inputs, labels, batch, gradient);
        var before = GC.GetAllocatedBytesForCurrentThread();
        model.LossAndGradient(inputs, labels, batch, gradient);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var logits = new float[batch * 3];
        for (int i = 0; i < 3; i++) model.Predict(inputs, batch, logits);
        before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(inputs, batch, logits);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Dense layers large enough that <see cref="Dense.WriteGradients"/> runs dW and dx side by
    /// side on the fork-join (odd widths, with and without bias): exactly the values of the two
    /// products one after the other (one core), close to the generated pullback's; on two
    /// cores the fork-join takes the job; and a warm call allocates nothing.
    /// </summary>
    [Theory]
    [InlineData(150, 67, 33, true)]
    [InlineData(129, 65, 17, false)]
    [InlineData(256, 64, 10, true)]
    public void Dense_gradients_side_by_side_are_those_one_after_the_other(int batch, int inputs, int outputs, bool bias)
    {
        var layer = new Dense(inputs, outputs, bias);
        var random = new Random(31);
        var parameters = new float[layer.ParameterCount];
        layer.Initialize(parameters, random);
        parameters.AsSpan(inputs * outputs).Fill(0.25f);
        var x = RandomVector(random, batch * inputs);
        var dy = RandomVector(random, batch * outputs);

        var serialDx = Enumerable.Repeat(float.NaN, batch * inputs).ToArray();
        var serialDparameters = Enumerable.Repeat(float.NaN, layer.ParameterCount).ToArray();
        long concurrentFrom = Dense.ConcurrentFrom;
        Dense.ConcurrentFrom = long.MaxValue;
        try
        {
            layer.WriteGradients(x, dy, serialDx, parameters, serialDparameters, batch);
        }
        finally
        {
            Dense.ConcurrentFrom = concurrentFrom;
        }

        bool engaged = false;
        for (int run = 0; run < 500 && !engaged; run++)
        {
            long jobsBefore = ForkJoin.Shared?.Totals.Jobs ?? 0;
            var dx = Enumerable.Repeat(float.NaN, batch * inputs).ToArray();
            var dparameters = Enumerable.Repeat(float.NaN, layer.ParameterCount).ToArray();
            layer.WriteGradients(x, dy, dx, parameters, dparameters, batch);
            Assert.Equal(serialDx, dx);
            Assert.Equal(serialDparameters, dparameters);
            // Other tests' jobs may hold the workers: then this call ran one product after the other.
            engaged = ForkJoin.Shared is null || ForkJoin.Shared.Totals.Jobs > jobsBefore;
            if (!engaged) Thread.Sleep(1);
        }
        Assert.True(engaged, "the fork-join never took the two products");
        var again = new float[batch * inputs];
        var dparametersAgain = new float[layer.ParameterCount];
        long before = GC.GetAllocatedBytesForCurrentThread();
        layer.WriteGradients(x, dy, again, parameters, dparametersAgain, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        var record = new ForwardRecord();
        var y = new float[batch * outputs];
        layer.Forward(parameters, x, y, batch, record);
        var expectedDx = new float[batch * inputs];
        var expectedDparameters = new float[layer.ParameterCount];
        layer.Backward(parameters, x, y, dy, expectedDx, expectedDparameters, batch, record);
        for (int i = 0; i < expectedDx.Length; i++)
            Assert.True(Math.Abs(expectedDx[i] - serialDx[i]) <= 1e-5 + 1e-5 * Math.Abs(expectedDx[i]), $"dx[{i}]: expected {expectedDx[i]}, got {serialDx[i]}");
        for (int i = 0; i < expectedDparameters.Length; i++)
            Assert.True(Math.Abs(expectedDparameters[i] - serialDparameters[i]) <= 1e-4 + 1e-5 * Math.Abs(expectedDparameters[i]),
                $"parameter gradient {i}: expected {expectedDparameters[i]}, got {serialDparameters[i]}");
    }

    public static TheoryData<int, bool, string> SequentialCases()
    {
        var cases = new TheoryData<int, bool, string>();
        foreach (int batch in new[] { 1, 7 })
            foreach (bool bias in new[] { true, false })
                foreach (string model in new[] { "tanh", "relu", "relu first", "prelu" })
                    cases.Add(batch, bias, model);
        return cases;
    }

    [Theory]
    [MemberData(nameof(SequentialCases))]
    public void Sequential_gradient_is_the_generated_pullbacks_whatever_the_buffers_held(int batch, bool bias, string kind)
    {
        // Sequential writes each Dense layer's gradients (dW, db, dx) and a ReLU's input gradient
        // directly instead of clearing buffers and calling the generated pullbacks, which add:
        // the result must be the same, on the first call and on the next, whose buffers hold the
        // first call's values. Odd widths: ragged matrix and vector edges.
        var model = SmallModel(kind, bias);
        model.Initialize(21);
        var random = new Random(23);
        var inputs = RandomVector(random, batch * 6);
        var labels = Enumerable.Range(0, batch).Select(i => (byte)(i * 7 % 3)).ToArray();
        var gradient = Enumerable.Repeat(float.NaN, model.Parameters.Length).ToArray();
        float loss = model.LossAndGradient(inputs, labels, batch, gradient);
        var again = Enumerable.Repeat(float.NaN, model.Parameters.Length).ToArray();
        Assert.Equal(loss, model.LossAndGradient(inputs, labels, batch, again));
        Assert.Equal(gradient, again);

        // The reference: every layer's Forward with a record and its generated Backward, adding into zeros.
        var layers = model.Layers;
        var offsets = new int[layers.Count + 1];
        for (int i = 0; i < layers.Count; i++) offsets[i + 1] = offsets[i] + layers[i].ParameterCount;
        var parameters = model.Parameters.ToArray();
        var outputs = layers.Select(l => new float[batch * l.OutputSize]).ToArray();
        var record = new ForwardRecord();
        for (int i = 0; i < layers.Count; i++)
            layers[i].Forward(parameters.AsSpan(offsets[i], layers[i].ParameterCount), i == 0 ? inputs : outputs[i - 1], outputs[i], batch, record);
        var targets = new float[batch * 3];
        for (int r = 0; r < batch; r++) targets[r * 3 + labels[r]] = 1;
        var adjoint = new float[batch * 3];
        float expectedLoss = Losses.SoftmaxCrossEntropyGradient(outputs[^1], targets, batch, 3, adjoint);
        var expected = new float[parameters.Length];
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            var dx = i == 0 ? [] : new float[batch * layers[i].InputSize];
            layers[i].Backward(parameters.AsSpan(offsets[i], layers[i].ParameterCount), i == 0 ? inputs : outputs[i - 1], outputs[i], adjoint, dx,
                expected.AsSpan(offsets[i], layers[i].ParameterCount), batch, record);
            adjoint = dx;
        }

        Assert.Equal(expectedLoss, loss, 1e-6f * Math.Abs(expectedLoss));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - gradient[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {gradient[i]}");

        // Finite differences only for the smooth model: a step of 1e-2 crosses ReLU kinks. The
        // generated pullbacks compared with above are each checked against finite differences.
        if (kind != "tanh") return;
        AssertLossGradientMatchesFiniteDifferences(model, inputs, labels, batch, gradient);
    }

    /// <summary>Six inputs, three classes; "prelu" has a layer with parameters that records its forward pass.</summary>
    private static Sequential SmallModel(string kind, bool bias) => kind switch
    {
        "tanh" => new Sequential(new Dense(6, 5, bias), new Activation(5, ActivationKind.Tanh), new Dense(5, 3, bias)),
        "relu" => new Sequential(new Dense(6, 13, bias), new Activation(13, ActivationKind.Relu), new Dense(13, 11, bias),
            new Activation(11, ActivationKind.Relu), new Dense(11, 3, bias)),
        "relu first" => new Sequential(new Activation(6, ActivationKind.Relu), new Dense(6, 5, bias), new Activation(5, ActivationKind.Relu), new Dense(5, 3, bias)),
        _ => new Sequential(new Dense(6, 5, bias), new Activation(5, ActivationKind.ParametricRelu), new Dense(5, 9, bias),
            new Activation(9, ActivationKind.Relu), new Dense(9, 3, bias)),
    };

    public static TheoryData<int, string> ShardedCases()
    {
        var cases = new TheoryData<int, string>();
        foreach (int shards in new[] { 2, 3 })
            foreach (string model in new[] { "tanh", "relu", "relu first", "prelu" })
                cases.Add(shards, model);
        return cases;
    }

    /// <summary>
    /// A batch cut into shares of rows (as on several cores; 67 rows, so the shares differ by one) gives the
    /// one-pass loss, gradient and logits (<c>Predict</c>) up to rounding, the same bits on every call whichever thread ran which
    /// share (the fork-join takes some calls, the calling thread runs others alone when it is busy), and
    /// central differences' gradient for the smooth model. The calling thread allocates nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShardedCases))]
    public void Sharded_gradient_is_the_one_pass_gradient_and_the_same_bits_on_every_call(int shards, string kind)
    {
        const int batch = 67;
        var model = SmallModel(kind, bias: true).Initialize(29);
        var random = new Random(31);
        var inputs = RandomVector(random, batch * 6);
        var labels = Enumerable.Range(0, batch).Select(i => (byte)(i * 5 % 3)).ToArray();
        model.Shards = 1;
        var whole = new float[model.Parameters.Length];
        float wholeLoss = model.LossAndGradient(inputs, labels, batch, whole);
        var wholeLogits = new float[batch * 3];
        model.Predict(inputs, batch, wholeLogits);

        model.Shards = shards;
        var sharded = Enumerable.Repeat(float.NaN, model.Parameters.Length).ToArray();
        float loss = model.LossAndGradient(inputs, labels, batch, sharded);
        Assert.Equal(wholeLoss, loss, 1e-6f * Math.Abs(wholeLoss));
        for (int i = 0; i < whole.Length; i++)
            Assert.True(Math.Abs(whole[i] - sharded[i]) <= 1e-7 + 1e-5 * Math.Abs(whole[i]), $"element {i}: one pass {whole[i]}, {shards} shards {sharded[i]}");

        var logits = Enumerable.Repeat(float.NaN, batch * 3).ToArray();
        model.Predict(inputs, batch, logits);
        for (int i = 0; i < logits.Length; i++)
            Assert.True(Math.Abs(wholeLogits[i] - logits[i]) <= 1e-6 + 1e-6 * Math.Abs(wholeLogits[i]), $"logit {i}: one pass {wholeLogits[i]}, {shards} shards {logits[i]}");

        for (int run = 0; run < 50; run++)
        {
            var again = Enumerable.Repeat(float.NaN, model.Parameters.Length).ToArray();
            Assert.Equal(loss, model.LossAndGradient(inputs, labels, batch, again));
            Assert.Equal(sharded, again);
            var logitsAgain = Enumerable.Repeat(float.NaN, batch * 3).ToArray();
            model.Predict(inputs, batch, logitsAgain);
            Assert.Equal(logits, logitsAgain);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.LossAndGradient(inputs, labels, batch, sharded);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        if (kind != "tanh") return;
        AssertLossGradientMatchesFiniteDifferences(model, inputs, labels, batch, sharded);
    }

    [Fact]
    public void A_batch_is_cut_into_one_share_per_core_of_at_least_the_minimum_rows()
    {
        var model = SmallModel("relu", bias: true);
        int cores = ForkJoin.Shared?.Threads ?? 1;
        Assert.Equal(1, model.ShardCount(2 * Sequential.MinimumShardRows - 1));
        Assert.Equal(Math.Min(cores, 2), model.ShardCount(2 * Sequential.MinimumShardRows));
        Assert.Equal(cores, model.ShardCount(cores * Sequential.MinimumShardRows + 5));
        model.Shards = 4;
        Assert.Equal(4, model.ShardCount(9));
        Assert.Equal(3, model.ShardCount(3));
    }

    [Fact]
    public void A_bad_label_in_a_later_share_names_its_row_in_the_batch()
    {
        var model = SmallModel("relu", bias: true).Initialize(3);
        model.Shards = 2;
        var labels = new byte[10];
        labels[7] = 9;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.LossAndGradient(new float[10 * 6], labels, 10, new float[model.Parameters.Length]));
        Assert.Contains("Label 7 is 9", error.Message);
    }

    /// <summary>The model's loss gradient against central differences of its loss; the parameters are left as they were.</summary>
    private static void AssertLossGradientMatchesFiniteDifferences(Sequential model, float[] inputs, byte[] labels, int batch, float[] gradient)
    {
        var parameters = model.Parameters.ToArray();
        var expected = FiniteDifferences(p =>
        {
            p.CopyTo(model.Parameters);
            return model.LossAndGradient(inputs, labels, batch, new float[p.Length]);
        }, parameters);
        parameters.CopyTo(model.Parameters);
        AssertClose(expected, gradient);
    }

    private static float[] RandomVector(Random random, int length, double scale = 1) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>Central differences of f at x, in double where the function allows, with a float-sized step.</summary>
    private static float[] FiniteDifferences(Func<float[], float> f, float[] x)
    {
        var gradient = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            gradient[i] = (float)(((double)f(plus) - f(minus)) / (plus[i] - (double)minus[i]));
        }
        return gradient;
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-3 + 2e-2 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
