namespace AutoGrad.ADBench;

/// <summary>
/// ADBench's Gaussian mixture model objective (src/cpp/shared/gmm.h), written as a user would port
/// it: flat arrays, the reference's loops, its preprocessing of the covariance factors into local
/// arrays. The generator writes <c>ObjectiveGradient</c> (with respect to the log-weights, means
/// and inverse-covariance factors) next to it.
/// </summary>
public static partial class Gmm
{
    /// <summary>
    /// The negative log-likelihood of <paramref name="n"/> points of dimension <paramref name="d"/>
    /// under a mixture of <paramref name="k"/> Gaussians, plus a Wishart prior on the inverse
    /// covariances, as ADBench defines it (its value is a log-likelihood, so it is not negated).
    /// </summary>
    /// <param name="alphas">The k unnormalised log mixture weights.</param>
    /// <param name="means">The k × d component means, row-major.</param>
    /// <param name="icf">Per component d(d+1)/2 inverse-covariance factors: the d log-diagonal
    /// entries, then the strictly lower triangle column by column.</param>
    /// <param name="x">The n × d points, row-major.</param>
    /// <param name="d">The dimension.</param>
    /// <param name="k">The number of components.</param>
    /// <param name="n">The number of points.</param>
    /// <param name="wishartGamma">The Wishart prior's γ.</param>
    /// <param name="wishartM">The Wishart prior's m.</param>
    [Differentiable]
    public static double Objective(double[] alphas, double[] means, double[] icf, [NoGradient] double[] x,
        int d, int k, int n, [NoGradient] double wishartGamma, int wishartM)
    {
        int icfSize = d * (d + 1) / 2;

        // preprocess_qs: the diagonal of each factor and the sum of its logarithms.
        double[] qDiags = new double[d * k];
        double[] sumQs = new double[k];
        for (int ik = 0; ik < k; ik++)
        {
            double sumQ = 0;
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sumQ += q;
                qDiags[ik * d + id] = Math.Exp(q);
            }
            sumQs[ik] = sumQ;
        }

        double[] xCentered = new double[d];
        double[] qxCentered = new double[d];
        double[] mainTerm = new double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                // Q (x - mean): the diagonal times the centred point, plus the lower triangle's columns.
                for (int id = 0; id < d; id++)
                {
                    xCentered[id] = x[ix * d + id] - means[ik * d + id];
                    qxCentered[id] = qDiags[ik * d + id] * xCentered[id];
                }
                int lowerIndex = ik * icfSize + d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxCentered[j] += icf[lowerIndex] * xCentered[i];
                        lowerIndex++;
                    }
                }
                double squaredNorm = 0;
                for (int id = 0; id < d; id++)
                {
                    squaredNorm += qxCentered[id] * qxCentered[id];
                }
                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
            }
            slse += LogSumExp(mainTerm);
        }

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - n * LogSumExp(alphas) + LogWishartPrior(qDiags, sumQs, icf, d, k, wishartGamma, wishartM);
    }

    /// <summary><c>log(sum exp(values))</c>, shifted by the maximum so it cannot overflow.</summary>
    [Differentiable]
    public static double LogSumExp(double[] values)
    {
        double max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i] - max);
        }
        return Math.Log(sum) + max;
    }

    /// <summary>ADBench's <c>log_wishart_prior</c>: the prior's log-density up to the sign ADBench uses.</summary>
    [Differentiable]
    public static double LogWishartPrior(double[] qDiags, double[] sumQs, double[] icf, int d, int k,
        [NoGradient] double wishartGamma, int wishartM)
    {
        int n = d + wishartM + 1;
        int icfSize = d * (d + 1) / 2;
        double c = n * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - LogMultivariateGamma(0.5 * n, d);

        double total = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                frobenius += qDiags[ik * d + id] * qDiags[ik * d + id];
            }
            for (int i = d; i < icfSize; i++)
            {
                frobenius += icf[ik * icfSize + i] * icf[ik * icfSize + i];
            }
            total += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }
        return total - k * c;
    }

    /// <summary>The logarithm of the multivariate gamma function Γ_p(a), a constant of the prior.</summary>
    public static double LogMultivariateGamma(double a, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGamma(a + 0.5 * (1 - j));
        }
        return result;
    }

    // .NET has no log-gamma: Lanczos (g = 7, 9 terms), accurate to about 1e-15 relative for a > 0.5,
    // with the reflection formula below that.
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>log Γ(a) for a &gt; 0.</summary>
    public static double LogGamma(double a)
    {
        if (a < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * a)) - LogGamma(1 - a);
        }
        a -= 1;
        double sum = LanczosCoefficients[0];
        double t = a + 7.5;
        for (int i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (a + i);
        }
        return 0.5 * Math.Log(2 * Math.PI) + (a + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
