namespace Newton;

/// <summary>A smooth function of a vector with its generated derivatives.</summary>
public sealed record Problem(
    string Name,
    Func<double[], double> Value,
    Func<double[], double[], double> Gradient,
    Func<double[], double[], double[], double[], double> HessianVector);

/// <summary>How a run ended: iterations, derivative evaluations, the final value and gradient norm.</summary>
public sealed record Outcome(string Method, int Iterations, int Gradients, int HessianVectorProducts, double Value, double GradientNorm, bool Converged, TimeSpan Time);

/// <summary>Two minimisers to one gradient-norm tolerance: steepest descent and Newton-CG, both with an Armijo backtracking line search.</summary>
public static class Optimizers
{
    private const double Armijo = 1e-4;

    /// <summary>Steepest descent: step along -g, the step found by backtracking from the last accepted one (doubled).</summary>
    public static Outcome GradientDescent(Problem problem, double[] x, double tolerance, int maxIterations)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var g = new double[x.Length];
        var trial = new double[x.Length];
        double f = problem.Gradient(x, g);
        int gradients = 1;
        double step = 1;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double norm = Norm(g);
            if (norm <= tolerance) return new Outcome("gradient descent", iteration, gradients, 0, f, norm, true, watch.Elapsed);
            step *= 2;
            double slope = -norm * norm;
            while (true)
            {
                for (int i = 0; i < x.Length; i++) trial[i] = x[i] - step * g[i];
                double value = problem.Value(trial);
                if (value <= f + Armijo * step * slope) break;
                step *= 0.5;
            }
            Array.Copy(trial, x, x.Length);
            f = problem.Gradient(x, g);
            gradients++;
        }
        return new Outcome("gradient descent", maxIterations, gradients, 0, f, Norm(g), false, watch.Elapsed);
    }

    /// <summary>
    /// Truncated Newton: each step solves H p = -g by conjugate gradients, which needs only
    /// Hessian-vector products, to a relative residual min(0.5, sqrt(|g|)) (stopping at
    /// negative curvature), then backtracks along p.
    /// </summary>
    public static Outcome NewtonCg(Problem problem, double[] x, double tolerance, int maxIterations)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int n = x.Length;
        var (g, p, r, d, hd, scratch, trial) = (new double[n], new double[n], new double[n], new double[n], new double[n], new double[n], new double[n]);
        double f = problem.Gradient(x, g);
        int gradients = 1, products = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double norm = Norm(g);
            if (norm <= tolerance) return new Outcome("Newton-CG (generated HVP)", iteration, gradients, products, f, norm, true, watch.Elapsed);

            // CG on H p = -g from p = 0.
            Array.Clear(p);
            for (int i = 0; i < n; i++) { r[i] = -g[i]; d[i] = r[i]; }
            double rr = norm * norm;
            double forcing = Math.Min(0.5, Math.Sqrt(norm)) * norm;
            for (int inner = 0; inner < 2 * n; inner++)
            {
                problem.HessianVector(x, d, scratch, hd);
                products++;
                double curvature = Dot(d, hd);
                if (curvature <= 0)
                {
                    if (inner == 0) Array.Copy(d, p, n); // no curvature information yet: steepest descent
                    break;
                }
                double alpha = rr / curvature;
                for (int i = 0; i < n; i++) { p[i] += alpha * d[i]; r[i] -= alpha * hd[i]; }
                double next = Dot(r, r);
                if (Math.Sqrt(next) <= forcing) break;
                double beta = next / rr;
                rr = next;
                for (int i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
            }

            double slope = Dot(g, p);
            double step = 1;
            while (true)
            {
                for (int i = 0; i < n; i++) trial[i] = x[i] + step * p[i];
                if (problem.Value(trial) <= f + Armijo * step * slope || step < 1e-12) break;
                step *= 0.5;
            }
            Array.Copy(trial, x, n);
            f = problem.Gradient(x, g);
            gradients++;
        }
        return new Outcome("Newton-CG (generated HVP)", maxIterations, gradients, products, f, Norm(g), false, watch.Elapsed);
    }

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    public static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
}
