using static AutoGrad.Tape.TapeMath;

namespace AutoGrad.Tape.Tests;

/// <summary>Whole functions of the kind the benchmarks run, each against central differences.</summary>
public class FunctionTests
{
    [Fact]
    public void Seed_function_has_the_worked_example_value_and_gradient()
    {
        var (value, gradient) = GradientAssert.TapeGradient(v => Pow((v[0] + v[1]) * (v[2] + v[3]), 2), [1, 2, 3, 4]);

        Assert.Equal(441, value);
        Assert.Equal(294, gradient[0]);
        Assert.Equal(294, gradient[1]);
        Assert.Equal(126, gradient[2]);
        Assert.Equal(126, gradient[3]);
        GradientAssert.Matches(v => Pow((v[0] + v[1]) * (v[2] + v[3]), 2), x => Math.Pow((x[0] + x[1]) * (x[2] + x[3]), 2), [1, 2, 3, 4]);
    }

    [Fact]
    public void Rosenbrock_over_ten_variables()
    {
        double[] x = GradientAssert.Uniform(seed: 1, count: 10, low: -2, high: 2);

        double[] gradient = GradientAssert.Matches(Rosenbrock, RosenbrockPlain, x);

        // The analytic gradient, term by term.
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length - 1; i++)
        {
            expected[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            expected[i + 1] += 200 * (x[i + 1] - x[i] * x[i]);
        }
        GradientAssert.AllClose(expected, gradient, 1e-12);
    }

    [Fact]
    public void Rosenbrock_gradient_vanishes_at_the_minimum()
    {
        var (value, gradient) = GradientAssert.TapeGradient(Rosenbrock, Enumerable.Repeat(1.0, 10).ToArray());

        Assert.Equal(0, value);
        Assert.All(gradient, g => Assert.Equal(0, g));
    }

    [Fact]
    public void Tanh_rnn_over_twenty_steps_with_scalar_operations()
    {
        double[] parameters = GradientAssert.Uniform(seed: 2, count: RnnParameterCount, low: -0.8, high: 0.8);

        GradientAssert.Matches(RnnLoss, RnnLossPlain, parameters);
    }

    [Fact]
    public void Tanh_rnn_with_vector_nodes_matches_the_scalar_recording()
    {
        double[] parameters = GradientAssert.Uniform(seed: 2, count: RnnParameterCount, low: -0.8, high: 0.8);

        double[] vectorGradient = GradientAssert.MatchesVector(RnnLossVectorised, parameters);
        var (_, scalarGradient) = GradientAssert.TapeGradient(RnnLoss, parameters);
        GradientAssert.AllClose(scalarGradient, vectorGradient, 1e-12);
    }

    [Fact]
    public void Logistic_regression_loss_with_scalar_operations()
    {
        double[] weights = GradientAssert.Uniform(seed: 3, count: Features + 1);

        GradientAssert.Matches(LogisticLoss, LogisticLossPlain, weights);
    }

    [Fact]
    public void Logistic_regression_loss_with_vector_nodes_matches_the_scalar_recording()
    {
        double[] weights = GradientAssert.Uniform(seed: 3, count: Features + 1);

        double[] vectorGradient = GradientAssert.MatchesVector(LogisticLossVectorised, weights);
        var (value, scalarGradient) = GradientAssert.TapeGradient(LogisticLoss, weights);
        Assert.Equal(value, GradientAssert.VectorTapeGradient(LogisticLossVectorised, weights).Value, 12);
        GradientAssert.AllClose(scalarGradient, vectorGradient, 1e-12);
    }

    [Fact]
    public void Two_layer_mlp_loss_with_matrix_nodes()
    {
        double[] parameters = GradientAssert.Uniform(seed: 4, count: MlpParameterCount, low: -0.5, high: 0.5);

        GradientAssert.MatchesVector(MlpLoss, parameters);
        var (value, _) = GradientAssert.VectorTapeGradient(MlpLoss, parameters);
        GradientAssert.Close(MlpLossPlain(parameters), value, 1e-12, "value");
    }

    [Fact]
    public void Two_layer_mlp_per_sample_with_matvec_matches_the_batched_recording()
    {
        double[] parameters = GradientAssert.Uniform(seed: 4, count: MlpParameterCount, low: -0.5, high: 0.5);

        double[] perSample = GradientAssert.MatchesVector(MlpLossPerSample, parameters);
        var (_, batched) = GradientAssert.VectorTapeGradient(MlpLoss, parameters);
        GradientAssert.AllClose(batched, perSample, 1e-12);
    }

    private static Var Rosenbrock(Var[] x)
    {
        Var sum = 0;
        for (int i = 0; i < x.Length - 1; i++) sum += 100 * Square(x[i + 1] - x[i] * x[i]) + Square(1 - x[i]);
        return sum;
    }

    private static double RosenbrockPlain(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
            sum += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
        return sum;
    }

    // h_t = tanh(W h_{t-1} + u x_t + b), loss = sum_t (v . h_t - y_t)^2, with W, u, b, v the parameters.
    private const int Hidden = 3;
    private const int Steps = 20;
    private const int RnnParameterCount = Hidden * Hidden + 3 * Hidden;
    private static readonly double[] s_rnnInputs = GradientAssert.Uniform(seed: 20, count: Steps);
    private static readonly double[] s_rnnTargets = GradientAssert.Uniform(seed: 21, count: Steps);

    private static Var RnnLoss(Var[] p)
    {
        var h = new Var[Hidden];
        var next = new Var[Hidden];
        Var loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            for (int i = 0; i < Hidden; i++)
            {
                Var z = p[Hidden * Hidden + i] * s_rnnInputs[t] + p[Hidden * Hidden + Hidden + i];
                for (int j = 0; j < Hidden; j++) z += p[i * Hidden + j] * h[j];
                next[i] = Tanh(z);
            }
            (h, next) = (next, h);
            Var prediction = 0;
            for (int i = 0; i < Hidden; i++) prediction += p[Hidden * Hidden + 2 * Hidden + i] * h[i];
            loss += Square(prediction - s_rnnTargets[t]);
        }
        return loss;
    }

    private static double RnnLossPlain(double[] p)
    {
        var h = new double[Hidden];
        var next = new double[Hidden];
        double loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            for (int i = 0; i < Hidden; i++)
            {
                double z = p[Hidden * Hidden + i] * s_rnnInputs[t] + p[Hidden * Hidden + Hidden + i];
                for (int j = 0; j < Hidden; j++) z += p[i * Hidden + j] * h[j];
                next[i] = Math.Tanh(z);
            }
            (h, next) = (next, h);
            double prediction = 0;
            for (int i = 0; i < Hidden; i++) prediction += p[Hidden * Hidden + 2 * Hidden + i] * h[i];
            loss += (prediction - s_rnnTargets[t]) * (prediction - s_rnnTargets[t]);
        }
        return loss;
    }

    private static Var RnnLossVectorised(VarVector p)
    {
        VarMatrix w = p.Slice(0, Hidden * Hidden).AsMatrix(Hidden, Hidden);
        VarVector u = p.Slice(Hidden * Hidden, Hidden);
        VarVector b = p.Slice(Hidden * Hidden + Hidden, Hidden);
        VarVector v = p.Slice(Hidden * Hidden + 2 * Hidden, Hidden);
        VarVector h = GradientTape.Current.Constant(new double[Hidden]);
        Var loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            h = Tanh(MatVec(w, h) + u * s_rnnInputs[t] + b);
            loss += Square(Dot(v, h) - s_rnnTargets[t]);
        }
        return loss;
    }

    // Mean binary cross-entropy of sigmoid(w . x + bias) over a fixed data set.
    private const int Features = 4;
    private const int Samples = 25;
    private static readonly double[] s_features = GradientAssert.Uniform(seed: 30, count: Samples * Features, low: -2, high: 2);
    private static readonly double[] s_labels = GradientAssert.Uniform(seed: 31, count: Samples, low: 0, high: 1).Select(u => u < 0.5 ? 0.0 : 1.0).ToArray();

    private static Var LogisticLoss(Var[] w)
    {
        Var loss = 0;
        for (int s = 0; s < Samples; s++)
        {
            Var z = w[Features];
            for (int f = 0; f < Features; f++) z += w[f] * s_features[s * Features + f];
            Var p = Sigmoid(z);
            loss -= s_labels[s] * Log(p) + (1 - s_labels[s]) * Log(1 - p);
        }
        return loss / Samples;
    }

    private static double LogisticLossPlain(double[] w)
    {
        double loss = 0;
        for (int s = 0; s < Samples; s++)
        {
            double z = w[Features];
            for (int f = 0; f < Features; f++) z += w[f] * s_features[s * Features + f];
            double p = 1 / (1 + Math.Exp(-z));
            loss -= s_labels[s] * Math.Log(p) + (1 - s_labels[s]) * Math.Log(1 - p);
        }
        return loss / Samples;
    }

    private static Var LogisticLossVectorised(VarVector w)
    {
        GradientTape tape = GradientTape.Current;
        VarMatrix x = tape.Constant(s_features, Samples, Features);
        VarVector y = tape.Constant(s_labels);
        VarVector ones = tape.Constant(Enumerable.Repeat(1.0, Samples).ToArray());
        VarVector bias = Stack(Enumerable.Repeat(w[Features], Samples).ToArray());
        VarVector p = Sigmoid(MatVec(x, w.Slice(0, Features)) + bias);
        Var logLikelihood = Dot(y, Log(p)) + Dot(ones - y, Log(ones - p));
        return -logLikelihood / Samples;
    }

    // A 4-5-3 network, tanh hidden layer, softmax cross-entropy, a batch of 6. The parameters are
    // W1 (5x4, one row per hidden unit), b1, W2 (3x5), b2, packed in that order.
    private const int Inputs = 4;
    private const int HiddenUnits = 5;
    private const int Classes = 3;
    private const int Batch = 6;
    private const int MlpParameterCount = HiddenUnits * Inputs + HiddenUnits + Classes * HiddenUnits + Classes;
    private static readonly double[] s_batch = GradientAssert.Uniform(seed: 40, count: Batch * Inputs, low: -2, high: 2);
    private static readonly int[] s_classes = [0, 2, 1, 1, 0, 2];

    private static (VarMatrix W1, VarVector B1, VarMatrix W2, VarVector B2) MlpParameters(VarVector p)
    {
        int offset = 0;
        VarMatrix w1 = p.Slice(offset, HiddenUnits * Inputs).AsMatrix(HiddenUnits, Inputs);
        offset += HiddenUnits * Inputs;
        VarVector b1 = p.Slice(offset, HiddenUnits);
        offset += HiddenUnits;
        VarMatrix w2 = p.Slice(offset, Classes * HiddenUnits).AsMatrix(Classes, HiddenUnits);
        offset += Classes * HiddenUnits;
        VarVector b2 = p.Slice(offset, Classes);
        return (w1, b1, w2, b2);
    }

    private static Var MlpLoss(VarVector p)
    {
        var (w1, b1, w2, b2) = MlpParameters(p);
        VarMatrix x = GradientTape.Current.Constant(s_batch, Batch, Inputs);
        VarMatrix hidden = Tanh(AddRowVector(MatMulTransposed(x, w1), b1));
        VarMatrix logits = AddRowVector(MatMulTransposed(hidden, w2), b2);
        return SoftmaxCrossEntropy(logits, s_classes);
    }

    private static Var MlpLossPerSample(VarVector p)
    {
        var (w1, b1, w2, b2) = MlpParameters(p);
        Var loss = 0;
        for (int s = 0; s < Batch; s++)
        {
            VarVector x = GradientTape.Current.Constant(s_batch.AsSpan(s * Inputs, Inputs));
            VarVector hidden = Tanh(MatVec(w1, x) + b1);
            loss += SoftmaxCrossEntropy(MatVec(w2, hidden) + b2, s_classes[s]);
        }
        return loss / Batch;
    }

    private static double MlpLossPlain(double[] p)
    {
        int b1 = HiddenUnits * Inputs, w2 = b1 + HiddenUnits, b2 = w2 + Classes * HiddenUnits;
        double loss = 0;
        for (int s = 0; s < Batch; s++)
        {
            var hidden = new double[HiddenUnits];
            for (int j = 0; j < HiddenUnits; j++)
            {
                double z = p[b1 + j];
                for (int i = 0; i < Inputs; i++) z += p[j * Inputs + i] * s_batch[s * Inputs + i];
                hidden[j] = Math.Tanh(z);
            }
            var logits = new double[Classes];
            for (int c = 0; c < Classes; c++)
            {
                logits[c] = p[b2 + c];
                for (int j = 0; j < HiddenUnits; j++) logits[c] += p[w2 + c * HiddenUnits + j] * hidden[j];
            }
            loss += Math.Log(logits.Sum(Math.Exp)) - logits[s_classes[s]];
        }
        return loss / Batch;
    }
}
