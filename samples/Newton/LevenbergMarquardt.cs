namespace Newton;

/// <summary>
/// Levenberg-Marquardt for the three-parameter decay model, with the generated Jacobian: each step
/// solves (JᵀJ + λ diag(JᵀJ)) δ = -Jᵀr, accepts δ when the squared residual drops (then λ /= 3),
/// and otherwise raises λ (λ *= 2).
/// </summary>
public static class LevenbergMarquardt
{
    public sealed record Fit(double Amplitude, double Rate, double Offset, double Cost, int Iterations, int Jacobians, bool Converged);

    public static Fit Run(double[] t, double[] y, double amplitude, double rate, double offset, double tolerance = 1e-12, int maxIterations = 200)
    {
        int m = t.Length;
        var r = new double[m];
        var trial = new double[m];
        var columns = new[] { new double[m], new double[m], new double[m] };
        double[] theta = [amplitude, rate, offset];
        double lambda = 1e-3;
        int jacobians = 0;
        double cost = Cost(theta, t, y, r);
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            Objectives.DecayResidualsJacobian(theta[0], theta[1], theta[2], t, y, r, columns[0], columns[1], columns[2]);
            jacobians++;
            var normal = new double[3, 3];
            var gradient = new double[3];
            for (int a = 0; a < 3; a++)
            {
                gradient[a] = Optimizers.Dot(columns[a], r);
                for (int b = 0; b < 3; b++) normal[a, b] = Optimizers.Dot(columns[a], columns[b]);
            }
            if (Math.Sqrt(Optimizers.Dot(gradient, gradient)) <= tolerance)
                return new Fit(theta[0], theta[1], theta[2], cost, iteration - 1, jacobians, true);
            while (true)
            {
                var damped = (double[,])normal.Clone();
                for (int a = 0; a < 3; a++) damped[a, a] *= 1 + lambda;
                var step = Solve3(damped, [-gradient[0], -gradient[1], -gradient[2]]);
                double[] candidate = [theta[0] + step[0], theta[1] + step[1], theta[2] + step[2]];
                double next = Cost(candidate, t, y, trial);
                if (next < cost)
                {
                    bool small = Math.Abs(cost - next) <= tolerance * Math.Max(1, cost);
                    theta = candidate;
                    cost = next;
                    lambda /= 3;
                    if (small) return new Fit(theta[0], theta[1], theta[2], cost, iteration, jacobians, true);
                    break;
                }
                lambda *= 2;
                if (lambda > 1e12) return new Fit(theta[0], theta[1], theta[2], cost, iteration, jacobians, false);
            }
        }
        return new Fit(theta[0], theta[1], theta[2], cost, maxIterations, jacobians, false);
    }

    /// <summary>Half the sum of squared residuals.</summary>
    private static double Cost(double[] theta, double[] t, double[] y, double[] residuals)
    {
        Objectives.DecayResiduals(theta[0], theta[1], theta[2], t, y, residuals);
        return 0.5 * Optimizers.Dot(residuals, residuals);
    }

    /// <summary>A symmetric positive definite 3 x 3 system, by Gaussian elimination.</summary>
    private static double[] Solve3(double[,] a, double[] b)
    {
        for (int k = 0; k < 3; k++)
        {
            for (int i = k + 1; i < 3; i++)
            {
                double factor = a[i, k] / a[k, k];
                for (int j = k; j < 3; j++) a[i, j] -= factor * a[k, j];
                b[i] -= factor * b[k];
            }
        }
        var x = new double[3];
        for (int i = 2; i >= 0; i--)
        {
            double sum = b[i];
            for (int j = i + 1; j < 3; j++) sum -= a[i, j] * x[j];
            x[i] = sum / a[i, i];
        }
        return x;
    }
}
