namespace AutoGrad.ADBench;

/// <summary>
/// ADBench's LSTM loss (src/cpp/shared/lstm.h) as a user would port it: flat parameter arrays,
/// the state copied into a local array that the time loop updates in place. The generator writes
/// <c>ObjectiveGradient</c> with respect to the main and extra parameters.
/// </summary>
public static partial class Lstm
{
    /// <summary>
    /// The mean negative log-likelihood of predicting each character of <paramref name="sequence"/>
    /// from the ones before it, with ADBench's normalisation <c>log(2 + sum exp(y))</c>.
    /// </summary>
    /// <param name="mainParams">Per layer 8 × <paramref name="b"/>: the forget, input, output and change weights, then their biases.</param>
    /// <param name="extraParams">3 × <paramref name="b"/>: the input weight, the output weight, the output bias.</param>
    /// <param name="state">Per layer 2 × <paramref name="b"/>: the hidden state, then the cell state.</param>
    /// <param name="sequence">The <paramref name="c"/> × <paramref name="b"/> one-hot-like characters.</param>
    /// <param name="l">The number of layers.</param>
    /// <param name="c">The number of characters.</param>
    /// <param name="b">The width of a character and of each layer.</param>
    [Differentiable]
    public static double Objective(double[] mainParams, double[] extraParams, [NoGradient] double[] state,
        [NoGradient] double[] sequence, int l, int c, int b)
    {
        double[] s = new double[2 * l * b];
        for (int i = 0; i < 2 * l * b; i++)
        {
            s[i] = state[i];
        }
        double[] input = new double[b];
        double[] prediction = new double[b];
        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++)
            {
                input[i] = sequence[t * b + i] * extraParams[i];
            }
            for (int layer = 0; layer < l; layer++)
            {
                int weights = 8 * b * layer;
                int biases = weights + 4 * b;
                int hidden = 2 * b * layer;
                int cell = hidden + b;
                for (int i = 0; i < b; i++)
                {
                    double forget = Sigmoid(input[i] * mainParams[weights + i] + mainParams[biases + i]);
                    double inGate = Sigmoid(s[hidden + i] * mainParams[weights + b + i] + mainParams[biases + b + i]);
                    double outGate = Sigmoid(input[i] * mainParams[weights + 2 * b + i] + mainParams[biases + 2 * b + i]);
                    double change = Math.Tanh(s[hidden + i] * mainParams[weights + 3 * b + i] + mainParams[biases + 3 * b + i]);
                    s[cell + i] = s[cell + i] * forget + inGate * change;
                    s[hidden + i] = outGate * Math.Tanh(s[cell + i]);
                    input[i] = s[hidden + i];
                }
            }
            double sumExp = 2;
            for (int i = 0; i < b; i++)
            {
                prediction[i] = input[i] * extraParams[b + i] + extraParams[2 * b + i];
                sumExp += Math.Exp(prediction[i]);
            }
            double logSumExp = Math.Log(sumExp);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - logSumExp);
            }
        }
        return -total / ((c - 1) * b);
    }

    /// <summary>The logistic function.</summary>
    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
